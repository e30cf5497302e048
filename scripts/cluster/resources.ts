import { createServer } from 'node:net';
import pg from 'pg';

// The machine resources a cluster (or a test of one) takes: PostgreSQL databases and free ports.

/** Creates the databases that do not exist yet. */
export async function createDatabases(
  postgresUrl: string,
  names: readonly string[],
): Promise<void> {
  await withClient(postgresUrl, async (client) => {
    for (const name of names) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
        checkName(name),
      ]);
      if (!rowCount) await client.query(`create database ${name}`);
    }
  });
}

/** Drops databases (for tests that made fresh ones). */
export async function dropDatabases(postgresUrl: string, names: readonly string[]): Promise<void> {
  await withClient(postgresUrl, async (client) => {
    for (const name of names)
      await client.query(`drop database if exists ${checkName(name)} with (force)`);
  });
}

/** Ports that were free a moment ago on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolveServer, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolveServer(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`"${name}" is not a plain database name (lower-case letters, digits and _).`);
  return name;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
