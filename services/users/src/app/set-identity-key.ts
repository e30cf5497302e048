import { eq } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { SetIdentityKeyRequest } from '@rchat/protocol';
import { users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * Sets the account's first identity public key. Setting the same key again
 * is a no-op. A different key is refused: an identity changes only by a loud
 * reset (`resetIdentity`), never by a session's say-so, so a password alone
 * cannot swap in a key that certifies an intruder's device.
 */
export async function setIdentityKey(
  deps: UsersDeps,
  userId: string,
  input: SetIdentityKeyRequest,
): Promise<{ changed: boolean }> {
  const key = Buffer.from(input.identityKey, 'base64');
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .select({ identityKey: users.identityKey })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
      .limit(1);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
    if (user.identityKey && Buffer.from(user.identityKey).equals(key)) return { changed: false };
    if (user.identityKey) {
      throw new AppError(
        'IDENTITY_KEY_CONFLICT',
        'This account already has another identity key. It changes only by a reset, which signs out every other device and which your contacts must accept.',
      );
    }
    await tx
      .update(users)
      .set({ identityKey: key, identityKeyChangedAt: deps.now() })
      .where(eq(users.id, userId));
    return { changed: true };
  });
}
