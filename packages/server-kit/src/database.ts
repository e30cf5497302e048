import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import type { Logger } from './logger.ts';
import { openPglite } from './pglite.ts';

/** The typed query layer, identical over PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Runs raw SQL and returns its rows (used by migrations and a few hand-tuned queries). */
  rows<T extends object>(query: SQL): Promise<T[]>;
  /** Round-trips to the database; for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres://… URL; when absent, PGlite stores its files under `dataDir/name`. */
  url?: string | undefined;
  dataDir: string;
  /** The service's database name, e.g. `users`, used for the PGlite folder. */
  name: string;
  /** In-memory PGlite (tests that need no persistence). */
  memory?: boolean;
  poolSize?: number;
  logger?: Logger;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 20 });
    pool.on('error', (err) => options.logger?.error({ err }, 'idle PostgreSQL client error'));
    const db = drizzlePg({ client: pool }) as unknown as Db;
    const database: Database = {
      db,
      kind: 'postgres',
      rows: <T extends object>(query: SQL) => queryRows<T>(db, query),
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
    await database.ping();
    return database;
  }
  return pgliteDatabase(
    await openPglite(options.memory ? undefined : resolve(join(options.dataDir, options.name))),
  );
}

function pgliteDatabase(client: PGlite): Database {
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: <T extends object>(query: SQL) => queryRows<T>(db, query),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

export { sql };

/**
 * Runs raw SQL through the typed query layer and returns its rows, typed as the
 * caller says (both drivers answer `{ rows }`): the one place raw results are cast.
 * The rows come from our own statements over our own schema, so they are not
 * parsed; numbers that PostgreSQL sends as text (bigint, numeric) are typed
 * `string | number` and converted where read. JSON a column stores is parsed
 * by its reader with the protocol's schema.
 */
export async function queryRows<T extends object>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
