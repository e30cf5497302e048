// Measures start-up: spawns a server the way it is run in production, polls
// GET /readyz, and prints the time from spawn to the first 200 and the resident
// memory (VmRSS, and the peak VmHWM) of the whole process tree once it is idle.
// Each target runs twice: on an empty data dir (or a fresh PostgreSQL database
// when DATABASE_URL is set), then again on the data the first run left.
//
//   npx tsx scripts/measure-start.ts                  # npm start (prestart included)
//   npx tsx scripts/measure-start.ts server users     # apps/server alone, the users service alone
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/measure-start.ts users
// chat delivery
//
// Targets: npm (npm start), server (node --import tsx apps/server/src/main.ts,
// as the tests run it), users, chat, delivery (services/*/src/main.ts, as
// scripts/cluster runs them); with MEASURE_RUNNER=bundled the last four run
// through scripts/run-bundled.mjs instead of tsx.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuMs, descendants } from '../bench/lib/proc.ts';
import { freePort } from '../tests/support/server-process.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const settleMs = Number(process.env.MEASURE_SETTLE_MS ?? 2_000);

type Target = 'npm' | 'server' | 'users' | 'chat' | 'delivery';
const entries: Record<Exclude<Target, 'npm'>, string> = {
  server: 'apps/server/src/main.ts',
  users: 'services/users/src/main.ts',
  chat: 'services/chat/src/main.ts',
  delivery: 'services/delivery/src/main.ts',
};
// MEASURE_RUNNER=bundled runs the entry points through scripts/run-bundled.mjs (as `npm start`
// does) instead of tsx.
const run = (entry: string) =>
  process.env.MEASURE_RUNNER === 'bundled'
    ? [process.execPath, 'scripts/run-bundled.mjs', entry]
    : [process.execPath, '--import', 'tsx', entry];
const commands: Record<Target, string[]> = {
  npm: ['npm', 'start'],
  server: run(entries.server),
  users: run(entries.users),
  chat: run(entries.chat),
  delivery: run(entries.delivery),
};

interface Sample {
  readyMs: number;
  /**
   * CPU time the tree used until ready (user + system, with its finished children): less sensitive
   * than readyMs to other load on the machine.
   */
  cpuMs: number;
  rssKiB: number;
  peakKiB: number;
  processes: string[];
}

/** The pids of `pid` and all its descendants. */
const processTree = (pid: number): number[] => [pid, ...descendants(pid)];

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function describeProcess(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return `${pid} ${Math.round(statusKiB(pid, 'VmRSS') / 1024)} MiB: ${args
      .join(' ')
      .replace(root + '/', '')
      .slice(0, 90)}`;
  } catch {
    return `${pid} (gone)`;
  }
}

async function measure(target: Target, env: Record<string, string>, port: number): Promise<Sample> {
  const [cmd = '', ...args] = commands[target];
  const started = performance.now();
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const pid = child.pid ?? 0;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${target} exited early:\n${output}`);
      if (performance.now() - started > 120_000)
        throw new Error(`${target} not ready after 120 s:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const readyMs = performance.now() - started;
    const cpu = cpuMs(processTree(pid), { reapedChildren: true });
    await new Promise((r) => setTimeout(r, settleMs));
    const pids = processTree(pid);
    return {
      readyMs,
      cpuMs: cpu,
      rssKiB: pids.reduce((sum, p) => sum + statusKiB(p, 'VmRSS'), 0),
      peakKiB: pids.reduce((sum, p) => sum + statusKiB(p, 'VmHWM'), 0),
      processes: pids.map(describeProcess),
    };
  } finally {
    process.kill(-pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Answers what delivery asks users and chat at start (health, recent revocations), so it can start
 * alone.
 */
async function stubPeers(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url?.startsWith('/internal/revoked-devices') ? '{"revoked":[]}' : '{"ok":true}');
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${port}`, server };
}

async function withDatabase(adminUrl: string, use: (url: string) => Promise<void>): Promise<void> {
  const name = `rchat_measure_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await use(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function report(target: Target, label: string, s: Sample): void {
  const mib = (k: number) => `${(k / 1024).toFixed(0)} MiB`;
  console.log(
    `${target.padEnd(8)} ${label.padEnd(9)} ready ${(s.readyMs / 1000).toFixed(2)} s (CPU ${(s.cpuMs / 1000).toFixed(2)} s)  RSS ${mib(s.rssKiB)} (peak ${mib(s.peakKiB)})  ${s.processes.length} process(es)`,
  );
  for (const p of s.processes) console.log(`           ${p}`);
}

async function measureTwice(target: Target): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rchat-measure-'));
  const peers = target === 'delivery' ? await stubPeers() : undefined;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    INTERNAL_TOKEN: 'measure-start-internal-token-0123456789',
  };
  if (peers) Object.assign(env, { USERS_URL: peers.url, CHAT_URL: peers.url });
  if (target === 'chat') env.USERS_URL ??= 'http://127.0.0.1:9';
  const twice = async (extra: Record<string, string>) => {
    const port = await freePort();
    report(target, 'empty', await measure(target, { ...env, ...extra }, port));
    report(target, 'existing', await measure(target, { ...env, ...extra }, port));
  };
  try {
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl) await withDatabase(adminUrl, (url) => twice({ DATABASE_URL: url }));
    else await twice({});
  } finally {
    peers?.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const targets = (process.argv.slice(2).length ? process.argv.slice(2) : ['npm']) as Target[];
for (const t of targets)
  if (!(t in commands))
    throw new Error(`unknown target ${t}; one of ${Object.keys(commands).join(', ')}`);
for (const t of targets) await measureTwice(t);
