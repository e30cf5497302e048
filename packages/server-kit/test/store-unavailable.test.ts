import { createServer, type Server } from 'node:net';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp, createLogger, sql, type HttpApp } from '../src/index.ts';

/**
 * A request that fails because the database is away (restarting, refused,
 * connection cut) answers 503 UNAVAILABLE with Retry-After, so a client knows
 * to retry it; any other failure still answers 500 INTERNAL.
 */

const logger = createLogger({ level: 'silent', name: 'test' });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

function listen(server: Server): Promise<number> {
  closers.push(() => new Promise((r) => server.close(r)));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/**
 * An app whose one route runs `select 1` through drizzle over a node-postgres pool on `port`, as a
 * service's queries do.
 */
function appQuerying(port: number): HttpApp {
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  pool.on('error', () => {});
  const db = drizzle({ client: pool });
  const app = createHttpApp({ logger });
  app.get('/query', async () => (await db.execute(sql`select 1`)).rows);
  closers.push(
    () => pool.end(),
    () => app.close(),
  );
  return app;
}

describe('errors of a database that is away', () => {
  it('answers 503 UNAVAILABLE with Retry-After when PostgreSQL refuses connections (down or restarting)', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((r) => server.close(r));
    const res = await appQuerying(port).inject({ method: 'GET', url: '/query' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({
      error: {
        code: 'UNAVAILABLE',
        message: 'The database cannot be reached right now; retry shortly.',
      },
    });
  });

  it('answers 503 when the server cuts the connection', async () => {
    const port = await listen(createServer((socket) => socket.destroy()));
    const res = await appQuerying(port).inject({ method: 'GET', url: '/query' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });

  it('still answers 500 INTERNAL for any other failure', async () => {
    const app = createHttpApp({ logger });
    closers.push(() => app.close());
    app.get('/bug', async () => {
      throw new Error('relation "no_such_table" does not exist');
    });
    const res = await app.inject({ method: 'GET', url: '/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: { code: 'INTERNAL' } });
  });
});
