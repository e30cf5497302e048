import { createArgon2Hasher, loadUsersConfig } from '@rchat/users';
import { now } from '../lib/clock.ts';
import { cpuMs } from '../lib/proc.ts';
import { medianOf, round, summarize } from '../lib/stats.ts';
import { BENCH_PASSWORD, type RchatClient } from '../systems/rchat-client.ts';
import type { SystemInfo } from '../systems/types.ts';
import { mapLimit } from './sessions.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

export const ARGON2_RAW_ID = 'argon2-raw';

interface Timed {
  perSecond: number;
  p50: number;
  p99: number;
  p999: number;
  /**
   * CPU time per call of the server processes (all threads), or of this process for the raw hash.
   */
  cpuMsPerOp: number;
  /** CPU time per call of this process (the HTTP client) while it drove the server. */
  clientCpuMsPerOp?: number;
}

/** CPU used so far by this process (all threads), in ms. */
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * `count` calls of `one` with at most `concurrency` in flight: rate, per-call
 * latency, and CPU per call of the processes that do the work (`serverPids`;
 * this process when there are none).
 */
async function timedCalls(
  count: number,
  concurrency: number,
  one: (i: number) => Promise<unknown>,
  serverPids: readonly number[] = [],
): Promise<Timed> {
  const latencies: number[] = [];
  const cpu = (): number => (serverPids.length > 0 ? cpuMs(serverPids) : ownCpuMs());
  const [cpu0, own0] = [cpu(), ownCpuMs()];
  const t = now();
  await mapLimit(Array.from({ length: count }), concurrency, async (_, i) => {
    const ts = now();
    await one(i);
    latencies.push(now() - ts);
  });
  const perSecond = (count * 1000) / (now() - t);
  const cpuMsPerOp = (cpu() - cpu0) / count;
  const s = summarize(latencies);
  return {
    perSecond,
    p50: s.p50,
    p99: s.p99,
    p999: s.p999,
    cpuMsPerOp,
    ...(serverPids.length > 0 ? { clientCpuMsPerOp: (ownCpuMs() - own0) / count } : {}),
  };
}

/**
 * Scenario 6: registration and login rate over HTTP at the platform's argon2id
 * cost, against the raw rate of the same hasher (@node-rs/argon2 `hash()` with
 * the users service's parameters, as many in flight) in this process.
 */
export async function authRate(
  ctx: ScenarioContext,
  client: RchatClient,
  platform: { env: NodeJS.ProcessEnv; attached: boolean },
): Promise<{ rows: ResultRow[]; info: SystemInfo }> {
  const { accounts, concurrency } = ctx.config.auth;
  const config = loadUsersConfig(platform.env);
  const params = {
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_ITERATIONS,
    parallelism: config.ARGON2_PARALLELISM,
  };
  const hasher = createArgon2Hasher(params);
  const cost = `m=${params.memoryCost} KiB, t=${params.timeCost}, p=${params.parallelism}`;
  const info: SystemInfo = {
    id: ARGON2_RAW_ID,
    label: 'raw argon2id hash (ceiling)',
    kind: 'ceiling',
    version: `@node-rs/argon2 (users service hasher), in the load generator's process`,
    persisted: false,
    delivery: 'ack',
    settings: { cost, concurrency, libuvThreads: process.env.UV_THREADPOOL_SIZE ?? '4 (default)' },
  };
  const tag = Date.now().toString(36).slice(-6);
  const reps: { raw: Timed; register: Timed; login: Timed }[] = [];
  for (let rep = 0; rep < ctx.config.reps; rep += 1) {
    const name = (i: number): string => `a${tag}r${rep}n${i}`;
    const raw = await timedCalls(accounts, concurrency, () => hasher.hash(BENCH_PASSWORD));
    const pids = ctx.driver.serverPids();
    const register = await timedCalls(
      accounts,
      concurrency,
      (i) =>
        client.authCall(
          '/auth/register',
          { username: name(i), password: BENCH_PASSWORD, device: { name: 'bench-d0' } },
          201,
        ),
      pids,
    );
    const login = await timedCalls(
      accounts,
      concurrency,
      (i) =>
        client.authCall(
          '/auth/login',
          { username: name(i), password: BENCH_PASSWORD, device: { name: 'bench-d1' } },
          200,
        ),
      pids,
    );
    reps.push({ raw, register, login });
  }
  const med = (pick: (r: (typeof reps)[number]) => Timed): Record<string, number> =>
    Object.fromEntries(
      Object.entries(medianOf(reps.map((r) => ({ ...pick(r) })))).map(([k, v]) => [k, round(v)]),
    );
  const raw = med((r) => r.raw);
  const notes = [
    ...(platform.attached
      ? [
          "attached platform: argon2id parameters read from this process's environment, which may not be the platform's",
        ]
      : []),
    ...(client.rateLimited
      ? ['auth requests hit 429 and were retried: the rate includes the waits']
      : []),
  ];
  const row = (system: string, variant: string, metrics: Record<string, number>): ResultRow => ({
    scenario: 'auth-rate',
    system,
    variant,
    metrics,
    reps: reps.length,
    ...(notes.length > 0 ? { notes } : {}),
  });
  const system = ctx.driver.info.id;
  const rows = [
    row(ARGON2_RAW_ID, `hash, ${cost}, ${concurrency} in flight (beside ${system})`, raw),
  ];
  for (const [kind, pick] of [
    ['registration', (r: (typeof reps)[number]) => r.register],
    ['login', (r: (typeof reps)[number]) => r.login],
  ] as const) {
    const metrics = med(pick);
    metrics.percentOfRaw = round(
      (100 * (metrics.perSecond ?? 0)) / (raw.perSecond ?? Number.NaN),
      1,
    );
    rows.push(row(system, `${kind}, ${concurrency} in flight`, metrics));
    ctx.log(
      `  auth-rate ${kind}: ${metrics.perSecond}/s = ${metrics.percentOfRaw}% of raw argon2id ${raw.perSecond}/s (${cost}); ` +
        `server CPU ${metrics.cpuMsPerOp} ms per ${kind} vs ${raw.cpuMsPerOp} ms per raw hash, client ${metrics.clientCpuMsPerOp} ms`,
    );
  }
  return { rows, info };
}
