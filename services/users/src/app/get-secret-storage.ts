import { eq } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { SecretStorage } from '@rchat/protocol';
import { secretStorage } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/** The account's secret storage blob, as the last `putSecretStorage` left it. */
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
