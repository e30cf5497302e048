import { queryRows } from '@rchat/server-kit';
import { sql } from 'drizzle-orm';
import type { BackupEntriesResponse } from '@rchat/protocol';
import type { UsersDeps } from './deps.ts';

/**
 * Backup entries after `after`, oldest first: at most `limit`, and no more
 * than fit in MAX_PAGE_BYTES (at least one); only the entries that fit are
 * read. `next` continues the listing whenever entries were left out.
 */
export async function readBackup(
  deps: UsersDeps,
  userId: string,
  after: number,
  limit: number,
): Promise<BackupEntriesResponse> {
  const result = await queryRows<{
    seq: string | number;
    device_id: string;
    entry: Uint8Array;
    created_at: Date | string;
    read: string | number;
  }>(
    deps.db,
    sql`
    with page as (
      select seq, (octet_length(entry) + 2) / 3 * 4 as bytes from backup_entries
      where user_id = ${userId} and seq > ${after}
      order by seq limit ${limit + 1}
    ), fitting as (
      select seq, sum(bytes) over (order by seq) as upto, row_number() over (order by seq) as n from page
    )
    select b.seq, b.device_id, b.entry, b.created_at, (select count(*) from page) as read
    from fitting f join backup_entries b on b.user_id = ${userId} and b.seq = f.seq
    where f.n <= ${limit} and (f.n = 1 or f.upto <= ${deps.config.MAX_PAGE_BYTES})
    order by b.seq`,
  );
  // More follow when the page read more rows than fit (the row past `limit`, or ones past the byte
  // budget).
  const more = Number(result[0]?.read ?? 0) > result.length;
  return {
    entries: result.map((r) => ({
      seq: Number(r.seq),
      deviceId: r.device_id,
      entry: Buffer.from(r.entry).toString('base64'),
      createdAt: new Date(r.created_at).toISOString(),
    })),
    next: more ? Number(result.at(-1)?.seq ?? after) : null,
  };
}
