import { sql } from 'drizzle-orm';
import { AppError, queryRows } from '@rchat/server-kit';
import { backupEntries } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

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
    const head = await queryRows<{ seq: string | number }>(
      tx,
      sql`select coalesce(max(seq), 0) as seq from backup_entries where user_id = ${caller.userId}`,
    );
    let seq = Number(head[0]?.seq ?? 0);
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
