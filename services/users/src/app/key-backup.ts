import { eq, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { BackupEntriesResponse, SecretStorage } from '@rchat/protocol';
import { backupEntries, secretStorage } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

/** Stores the account's secret storage blob (keys encrypted on a device under the recovery key); replaces the previous one. */
export async function putSecretStorage(
  deps: UsersDeps,
  userId: string,
  ciphertext: string,
): Promise<SecretStorage> {
  const now = deps.now();
  const bytes = Buffer.from(ciphertext, 'base64');
  await deps.db
    .insert(secretStorage)
    .values({ userId, ciphertext: bytes, updatedAt: now })
    .onConflictDoUpdate({
      target: secretStorage.userId,
      set: { ciphertext: bytes, updatedAt: now },
    });
  return { ciphertext, updatedAt: now.toISOString() };
}

export async function getSecretStorage(deps: UsersDeps, userId: string): Promise<SecretStorage> {
  const [row] = await deps.db
    .select()
    .from(secretStorage)
    .where(eq(secretStorage.userId, userId))
    .limit(1);
  if (!row) throw new AppError('BACKUP_NOT_FOUND', 'This account has no key backup yet.');
  return {
    ciphertext: Buffer.from(row.ciphertext).toString('base64'),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Appends backup entries (opaque: sealed to the backup public key and signed
 * by the device, so the server can neither read nor forge them). Sequence
 * numbers are per user; the user's row lock orders concurrent appends. The
 * log is append-only, so its head is its size: past MAX_BACKUP_ENTRIES_PER_USER
 * the whole request is refused (BACKUP_FULL) and nothing is stored.
 */
export async function appendBackup(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
  entries: string[],
): Promise<{ last: number }> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from users where id = ${caller.userId} for update`);
    const head = (await tx.execute(
      sql`select coalesce(max(seq), 0) as seq from backup_entries where user_id = ${caller.userId}`,
    )) as unknown as { rows: { seq: string | number }[] };
    let seq = Number(head.rows[0]?.seq ?? 0);
    const max = deps.config.MAX_BACKUP_ENTRIES_PER_USER;
    if (seq + entries.length > max)
      throw new AppError(
        'BACKUP_FULL',
        `The message backup of this account holds ${seq} of at most ${max} entries; these ${entries.length} were not stored.`,
      );
    const rows = entries.map((e) => ({
      userId: caller.userId,
      seq: ++seq,
      deviceId: caller.deviceId,
      entry: Buffer.from(e, 'base64'),
      createdAt: now,
    }));
    await tx.insert(backupEntries).values(rows);
    return { last: seq };
  });
}

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
  const result = (await deps.db.execute(sql`
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
    order by b.seq`)) as unknown as {
    rows: {
      seq: string | number;
      device_id: string;
      entry: Uint8Array;
      created_at: Date | string;
      read: string | number;
    }[];
  };
  // More follow when the page read more rows than fit (the row past `limit`, or ones past the byte budget).
  const more = Number(result.rows[0]?.read ?? 0) > result.rows.length;
  return {
    entries: result.rows.map((r) => ({
      seq: Number(r.seq),
      deviceId: r.device_id,
      entry: Buffer.from(r.entry).toString('base64'),
      createdAt: new Date(r.created_at).toISOString(),
    })),
    next: more ? Number(result.rows.at(-1)?.seq ?? after) : null,
  };
}
