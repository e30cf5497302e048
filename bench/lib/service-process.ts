import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { now, sleep } from './clock.ts';
import { spawnServer, stopGroup, type Managed } from './proc.ts';
import { HttpClient } from './http-client.ts';
import { repoRoot } from './versions.ts';

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True when `origin` answers GET /readyz with 200. */
export async function isReady(origin: string): Promise<boolean> {
  const client = new HttpClient(origin, { maxSockets: 1 });
  try {
    return (await client.request('GET', '/readyz')).status === 200;
  } catch {
    return false;
  } finally {
    await client.close(0);
  }
}

export interface StartedProcess {
  managed: Managed;
  origin: string;
  /** Milliseconds from spawn to the first 200 from GET /readyz. */
  readyMs: number;
}

/**
 * Spawns a server process (its own process group) listening on `port` and
 * polls `/readyz` every 10 ms until it answers 200; throws with the
 * process's output when it exits first or is not ready within `timeoutMs`.
 */
export async function startUntilReady(
  what: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 60_000,
): Promise<StartedProcess> {
  const origin = `http://127.0.0.1:${port}`;
  const t = now();
  const managed = spawnServer(
    command,
    args,
    { ...env, PORT: String(port), HOST: '127.0.0.1' },
    repoRoot,
  );
  const child = managed.child;
  while (now() - t < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await isReady(origin)) return { managed, origin, readyMs: now() - t };
    await sleep(10);
  }
  const exited = child.exitCode !== null || child.signalCode !== null;
  await stopGroup(child, 5000);
  throw new Error(
    `${what} ${exited ? 'exited before it was ready' : `was not ready within ${timeoutMs / 1000} s`}. Output:\n${managed.tail().slice(-1500)}`,
  );
}

/**
 * What scenario 8 starts, by name (the rchat drivers report their own starts under the same names).
 */
export const COLD_START = {
  users: 'users service (fresh PostgreSQL database, NATS)',
  chat: 'chat service (fresh PostgreSQL database, NATS)',
  delivery: 'delivery service (NATS)',
  npmNoPrestart: 'npm start without prestart (fresh DATA_DIR)',
  npm: 'npm start (fresh DATA_DIR, web client up to date)',
} as const;

/** Entry points of the services, as scripts/cluster runs them. */
export const SERVICE_ENTRY = {
  users: 'services/users/src/main.ts',
  chat: 'services/chat/src/main.ts',
  delivery: 'services/delivery/src/main.ts',
  server: 'apps/server/src/main.ts',
} as const;

export type ServiceName = keyof typeof SERVICE_ENTRY;

const BUNDLED_RUNNER = 'scripts/run-bundled.mjs';

/**
 * How a service process is run, as scripts/cluster runs it: through the
 * repository's bundling runner where the checkout has one, else through tsx.
 */
export function serviceCommand(service: ServiceName): string[] {
  // e.g. `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles every service process the
  // suite starts.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return [...nodeArgs, ...serviceScript(service)];
}

function serviceScript(service: ServiceName): string[] {
  return existsSync(join(repoRoot, BUNDLED_RUNNER))
    ? [BUNDLED_RUNNER, SERVICE_ENTRY[service]]
    : ['--import', 'tsx', SERVICE_ENTRY[service]];
}

/** Starts one service (or apps/server) as its own Node.js process. */
export function startService(
  service: ServiceName,
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<StartedProcess> {
  return startUntilReady(service, process.execPath, serviceCommand(service), env, port);
}
