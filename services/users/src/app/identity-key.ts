import { eq } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { SetIdentityKeyRequest } from '@rchat/protocol';
import { devices, users } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * Sets the account's identity public key. Setting the same key again is a
 * no-op; a different key needs `replace: true`, and then every device
 * certificate signed by the old key is dropped (peers see the change).
 */
export async function setIdentityKey(deps: UsersDeps, userId: string, input: SetIdentityKeyRequest): Promise<{ changed: boolean }> {
  const key = Buffer.from(input.identityKey, 'base64');
  return deps.db.transaction(async (tx) => {
    const [user] = await tx.select({ identityKey: users.identityKey }).from(users).where(eq(users.id, userId)).for('update').limit(1);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
    if (user.identityKey && Buffer.from(user.identityKey).equals(key)) return { changed: false };
    if (user.identityKey && !input.replace) {
      throw new AppError('IDENTITY_KEY_CONFLICT', 'This account already has another identity key; send replace: true to replace it.');
    }
    await tx.update(users).set({ identityKey: key, identityKeyChangedAt: deps.now() }).where(eq(users.id, userId));
    if (user.identityKey) await tx.update(devices).set({ certificate: null }).where(eq(devices.userId, userId));
    return { changed: true };
  });
}
