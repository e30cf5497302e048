import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, stopGroup } from '../lib/proc.ts';
import {
  COLD_START,
  freePort,
  startService,
  startUntilReady,
  type StartedProcess,
} from '../lib/service-process.ts';
import { medianOf, round } from '../lib/stats.ts';
import { ThrowawayDatabases } from '../lib/throwaway-db.ts';
import { repoRoot } from '../lib/versions.ts';
import { BENCH_ENV } from '../systems/rchat.ts';
import { scaledEnv } from '../systems/rchat-scaled.ts';
import type { ColdStartSample } from '../systems/types.ts';
import type { BenchConfig, ResultRow } from './types.ts';

/**
 * A readiness sample with the system it belongs to (`rchat` whole stack, `rchat-scaled` per
 * service).
 */
export type ObservedStart = ColdStartSample & { system: string };

/**
 * Starts users, chat and delivery one after another on fresh databases (each alone: nothing else is
 * starting), then stops them.
 */
async function servicesOnce(
  samples: ObservedStart[],
  databases: ThrowawayDatabases,
): Promise<void> {
  const token = 'cold-start-internal-token-0123456789abcdef';
  const running: StartedProcess[] = [];
  const start = async (
    service: 'users' | 'chat' | 'delivery',
    env: Record<string, string>,
  ): Promise<StartedProcess> => {
    const started = await startService(service, scaledEnv(env), await freePort());
    running.push(started);
    samples.push({
      system: 'rchat-scaled',
      variant: COLD_START[service],
      readyMs: started.readyMs,
    });
    return started;
  };
  try {
    const usersDb = await databases.create('users');
    const chatDb = await databases.create('chat');
    const users = await start('users', { DATABASE_URL: usersDb });
    const chat = await start('chat', {
      DATABASE_URL: chatDb,
      USERS_URL: users.origin,
      INTERNAL_TOKEN: token,
    });
    await start('delivery', {
      USERS_URL: users.origin,
      CHAT_URL: chat.origin,
      INTERNAL_TOKEN: token,
    });
  } finally {
    for (const p of running.reverse()) await stopGroup(p.managed.child, 5000);
    await databases.dropAll();
  }
}

/** The whole platform in one process on a fresh DATA_DIR (embedded PGlite, in-process bus). */
async function wholeStackOnce(
  samples: ObservedStart[],
  variant: string,
  args: string[],
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rchat-bench-cold-'));
  try {
    const started = await startUntilReady(
      variant,
      'npm',
      args,
      { ...process.env, ...BENCH_ENV, LOG_LEVEL: 'warn', DATA_DIR: dataDir },
      await freePort(),
    );
    samples.push({ system: 'rchat', variant, readyMs: started.readyMs });
    await stopGroup(started.managed.child, 10_000);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function rowsOf(samples: ObservedStart[], note?: string): ResultRow[] {
  const variants = [...new Set(samples.map((s) => s.variant))];
  return variants.map((variant) => {
    const mine = samples.filter((s) => s.variant === variant);
    const ms = mine.map((s) => s.readyMs);
    const metrics = {
      readyMs: round(medianOf(ms.map((readyMs) => ({ readyMs }))).readyMs, 0),
      maxMs: round(Math.max(...ms), 0),
    };
    return {
      scenario: 'cold-start',
      system: mine[0]?.system ?? 'rchat',
      variant,
      metrics,
      reps: ms.length,
      ...(note !== undefined ? { notes: [note] } : {}),
    };
  });
}

/**
 * Scenario 8: process start to the first 200 from GET /readyz. Each service
 * alone as scaled out (its own process, fresh PostgreSQL database, NATS), and
 * the whole platform as `npm start` runs it (fresh DATA_DIR): without
 * prestart, and (full runs) the whole `npm start` after the web client was
 * built if its sources changed, so it times the up-to-date check, not a build.
 * A quick run reuses the suite's own starts of the rchat systems when it has them.
 */
export async function coldStart(
  config: BenchConfig,
  log: (m: string) => void,
  observed: readonly ObservedStart[],
): Promise<ResultRow[]> {
  const needed: string[] = [
    COLD_START.users,
    COLD_START.chat,
    COLD_START.delivery,
    COLD_START.npmNoPrestart,
  ];
  let rows: ResultRow[];
  if (
    config.coldStart.reuseSuiteStarts &&
    needed.every((v) => observed.some((s) => s.variant === v))
  ) {
    rows = rowsOf(
      observed.filter((s) => needed.includes(s.variant)),
      "taken from the suite's own start of this system",
    );
  } else {
    const samples: ObservedStart[] = [];
    const databases = new ThrowawayDatabases();
    if (config.coldStart.npmStart)
      await run(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'apps/web/scripts/build-if-stale.ts')],
        { timeoutMs: 300_000 },
      );
    for (let rep = 0; rep < config.reps; rep += 1) {
      await servicesOnce(samples, databases);
      await wholeStackOnce(samples, COLD_START.npmNoPrestart, [
        'start',
        '--silent',
        '--ignore-scripts',
      ]);
      if (config.coldStart.npmStart)
        await wholeStackOnce(samples, COLD_START.npm, ['start', '--silent']);
    }
    rows = rowsOf(samples);
  }
  for (const r of rows) log(`  cold-start ${r.variant}: ${r.metrics.readyMs} ms`);
  return rows;
}
