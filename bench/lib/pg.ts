import pg from 'pg';

/** Admin connection string (trust auth on loopback); the bench uses its own database. */
export const PG_ADMIN_URL =
  process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const PG_BENCH_DB = process.env.BENCH_PG_DB ?? 'rchat_bench';

export function benchDbUrl(): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${PG_BENCH_DB}`;
  return url.toString();
}

/** Creates the bench database if missing. */
export async function ensureBenchDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_BENCH_DB]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${PG_BENCH_DB}`);
  } finally {
    await admin.end();
  }
}

/** Server version and the settings that decide commit cost. */
export async function pgSettings(client: pg.Pool | pg.Client): Promise<Record<string, string>> {
  const rows = await client.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('server_version','synchronous_commit','fsync','shared_buffers','wal_level','max_connections')",
  );
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.setting]));
}

export const MESSAGES_DDL = (table: string): string => `
  CREATE TABLE IF NOT EXISTS ${table} (
    conversation_id bigint NOT NULL,
    seq bigint NOT NULL,
    sender bigint NOT NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq)
  )`;
