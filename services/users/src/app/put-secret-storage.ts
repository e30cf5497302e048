import type { SecretStorage } from '@rchat/protocol';
import { secretStorage } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * Stores the account's secret storage blob (keys encrypted on a device under the recovery key);
 * replaces the previous one.
 */
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
