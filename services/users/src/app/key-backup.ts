import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { BackupEntriesResponse, SecretStorage } from '@rchat/protocol';
import { backupEntries, secretStorage } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

/** Stores the account's secret storage blob (keys encrypted on a device under the recovery key); replaces the previous one. */
export async function putSecretStorage(deps: UsersDeps, userId: string, ciphertext: string): Promise<SecretStorage> {
  const now = deps.now();
  const bytes = Buffer.from(ciphertext, 'base64');
  await deps.db
    .insert(secretStorage)
    .values({ userId, ciphertext: bytes, updatedAt: now })
    .onConflictDoUpdate({ target: secretStorage.userId, set: { ciphertext: bytes, updatedAt: now } });
  return { ciphertext, updatedAt: now.toISOString() };
}

export async function getSecretStorage(deps: UsersDeps, userId: string): Promise<SecretStorage> {
  const [row] = await deps.db.select().from(secretStorage).where(eq(secretStorage.userId, userId)).limit(1);
  if (!row) throw new AppError('BACKUP_NOT_FOUND', 'This account has no key backup yet.');
  return { ciphertext: Buffer.from(row.ciphertext).toString('base64'), updatedAt: row.updatedAt.toISOString() };
}

/**
 * Appends backup entries (opaque: sealed to the backup public key and signed
 * by the device, so the server can neither read nor forge them). Sequence
 * numbers are per user; the user's row lock orders concurrent appends.
 */
export async function appendBackup(deps: UsersDeps, caller: { userId: string; deviceId: string }, entries: string[]): Promise<{ last: number }> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from users where id = ${caller.userId} for update`);
    const head = (await tx.execute(sql`select coalesce(max(seq), 0) as seq from backup_entries where user_id = ${caller.userId}`)) as unknown as { rows: { seq: string | number }[] };
    let seq = Number(head.rows[0]?.seq ?? 0);
    const rows = entries.map((e) => ({ userId: caller.userId, seq: ++seq, deviceId: caller.deviceId, entry: Buffer.from(e, 'base64'), createdAt: now }));
    await tx.insert(backupEntries).values(rows);
    return { last: seq };
  });
}

export async function readBackup(deps: UsersDeps, userId: string, after: number, limit: number): Promise<BackupEntriesResponse> {
  const rows = await deps.db
    .select()
    .from(backupEntries)
    .where(and(eq(backupEntries.userId, userId), gt(backupEntries.seq, after)))
    .orderBy(asc(backupEntries.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({ seq: Number(r.seq), deviceId: r.deviceId, entry: Buffer.from(r.entry).toString('base64'), createdAt: r.createdAt.toISOString() })),
    next: rows.length > limit ? Number(page.at(-1)?.seq ?? after) : null,
  };
}
