import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { createLogger } from '@rchat/server-kit';
import { createServerApp, loadServerConfig, type ServerApp } from '@rchat/server';

export interface Platform extends ServerApp {
  url: string;
  /** The database URL in use when testing against PostgreSQL. */
  databaseUrl: string | undefined;
  /**
   * The server goes away as far as clients can tell: it stops accepting
   * connections and drops the open ones (event streams, requests), while the
   * services and their data (PGlite or PostgreSQL) stay as they are.
   */
  stopListening(): Promise<void>;
  /** Listens again on the same port (after `stopListening`). */
  resumeListening(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the whole platform in this process on an ephemeral port: PGlite in
 * memory by default (or under `dataDir`), or a fresh database on the server
 * named by DATABASE_URL, with NATS when NATS_URL is set.
 */
export async function startPlatform(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    databaseUrl?: string;
    logTo?: { level: string; destination: DestinationStream };
    clock?: () => Date;
  } = {},
): Promise<Platform> {
  const databaseUrl =
    options.databaseUrl ??
    (process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined);
  const env: Record<string, string | undefined> = {
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_SEARCH_PER_MINUTE: '100000',
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL } : {}),
    // vitest.config.ts sets it to `strict`: every answer is checked against the route table.
    ...(process.env.RESPONSE_VALIDATION
      ? { RESPONSE_VALIDATION: process.env.RESPONSE_VALIDATION }
      : {}),
    ...options.env,
  };
  const config = loadServerConfig({
    LOG_LEVEL: options.logTo?.level ?? process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
  });
  const logger = createLogger({
    level: config.LOG_LEVEL,
    name: 'rchat-test',
    ...(options.logTo ? { destination: options.logTo.destination } : {}),
  });
  const server = await createServerApp(config, env, logger, {
    memory: !options.dataDir && !databaseUrl,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const ownsDatabase = databaseUrl !== undefined && options.databaseUrl === undefined;
  const http = server.app.server;
  const port = new URL(url).port;
  return {
    ...server,
    url,
    databaseUrl,
    stopListening: async () => {
      const closed = new Promise<void>((resolve, reject) =>
        http.close((e) => (e ? reject(e) : resolve())),
      );
      http.closeAllConnections();
      await closed;
    },
    resumeListening: () => listenOn(http, Number(port)),
    close: async () => {
      if (!http.listening) await listenOn(http, Number(port)); // the app closes a listening server
      await closeOrExplain(server);
      if (ownsDatabase && process.env.DATABASE_URL)
        await dropTestDatabase(process.env.DATABASE_URL, databaseUrl);
    },
  };
}

function listenOn(http: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
}

/**
 * Closes the server; when that takes over 30 s, fails saying what is still open (instead of a bare
 * hook timeout).
 */
async function closeOrExplain(server: ServerApp): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const handles = (process as unknown as { _getActiveHandles(): object[] })
        ._getActiveHandles()
        .map((h) => h.constructor.name);
      const requests = (process as unknown as { _getActiveRequests(): object[] })
        ._getActiveRequests()
        .map((r) => r.constructor.name);
      reject(
        new Error(
          `The platform did not close within 30 s: ${server.delivery.connections} event streams open; handles ${handles.join(', ')}; requests ${requests.join(', ') || 'none'}`,
        ),
      );
    }, 30_000);
  });
  try {
    await Promise.race([server.app.close(), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates an empty database next to the one in `adminUrl` and returns its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `rchat_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^rchat_t_[0-9a-f]+$/.test(name)) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);
