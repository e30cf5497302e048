import { sql, type Database } from '@rchat/server-kit';

/**
 * Every row of every table of the given databases, as comparable text keyed by table name (the
 * services never share a table name).
 */
export async function snapshot(...databases: Database[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const database of databases) {
    const tables = await database.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    for (const { table_name } of tables) {
      const rows = await database.rows(sql.raw(`select * from "${table_name}"`));
      const text = rows
        .map((r) =>
          JSON.stringify(r, (_k, v: unknown) =>
            v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
          ),
        )
        .sort();
      out[table_name] = text.join('\n');
    }
  }
  return out;
}

/** Names of tables whose contents differ between two snapshots. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}
