import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './database.ts';
import type { Logger } from './logger.ts';

export interface Migration {
  /** Sortable, unique and never renamed: `0001_create_users`. */
  id: string;
  /** Plain PostgreSQL that runs unchanged on PGlite. */
  sql: string;
}

/**
 * Applies the pending migrations in order, all in one transaction (a failure
 * leaves the schema as it was), under a PostgreSQL advisory lock so that
 * several instances starting together do not race. Applied ids are recorded in
 * `schema_migrations` per service, so services may share a database. Statements are split at a `;`
 * that ends a line, since
 * PGlite's extended protocol takes one statement per query.
 */
export async function migrate(
  database: Database,
  service: string,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length || ids.some((id, i) => i > 0 && id <= (ids[i - 1] ?? ''))) {
    throw new Error(`Migrations of ${service} must have unique ids in ascending order.`);
  }
  const lockKey = hashKey(`rchat:migrate:${service}`);
  const applied: string[] = [];
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${lockKey})`);
    await tx.execute(
      sql`create table if not exists schema_migrations (service text not null, id text not null, applied_at timestamptz not null default now(), primary key (service, id))`,
    );
    const done = new Set(
      (
        await queryRows<{ id: string }>(
          tx,
          sql`select id from schema_migrations where service = ${service}`,
        )
      ).map((r) => r.id),
    );
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into schema_migrations (service, id) values (${service}, ${migration.id})`,
      );
      applied.push(migration.id);
      logger?.info({ migration: migration.id }, 'applied migration');
    }
  });
  return applied;
}

/** A stable 31-bit key for pg_advisory locks. */
function hashKey(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h & 0x7fffffff;
}

export function splitStatements(text: string): string[] {
  return text
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
