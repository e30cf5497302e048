import { and, eq, isNull, ne } from 'drizzle-orm';
import { AppError, publishRevocation, type Bus } from '@rchat/server-kit';
import type { ResetIdentityRequest } from '@rchat/protocol';
import {
  backupEntries,
  devices,
  keyPackages,
  refreshTokens,
  secretStorage,
  users,
} from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * The loud identity reset, for a person who lost every device and the
 * recovery key: needs the password again (a stolen access token is not
 * enough), replaces the identity key, drops every device certificate, signs
 * out every other device of the account (IDENTITY_RESET on their next
 * request, their streams end at once), and deletes what was sealed for the
 * old identity (secret storage, message backup, KeyPackages). The account's
 * key directory shows the reset date; peers' clients block the conversation
 * until their person accepts the new identity. One transaction: nothing is
 * half-reset.
 */
export async function resetIdentity(
  deps: UsersDeps,
  bus: Bus,
  caller: { userId: string; deviceId: string },
  input: ResetIdentityRequest,
): Promise<{ signedOut: number }> {
  const now = deps.now();
  const key = Buffer.from(input.identityKey, 'base64');
  const [account] = await deps.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, caller.userId))
    .limit(1);
  if (!account || !(await deps.hasher.verify(account.passwordHash, input.password))) {
    throw new AppError('INVALID_CREDENTIALS', 'The password is wrong.');
  }
  const signedOut = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .select({ identityKey: users.identityKey })
      .from(users)
      .where(eq(users.id, caller.userId))
      .for('update')
      .limit(1);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
    if (user.identityKey && Buffer.from(user.identityKey).equals(key)) {
      throw new AppError(
        'VALIDATION_FAILED',
        "This is already the account's identity key; a reset needs a new one.",
      );
    }
    await tx
      .update(users)
      .set({ identityKey: key, identityKeyChangedAt: now, identityResetAt: now })
      .where(eq(users.id, caller.userId));
    const others = await tx
      .update(devices)
      .set({ revokedAt: now, revokedReason: 'identity-reset', certificate: null })
      .where(
        and(
          eq(devices.userId, caller.userId),
          ne(devices.id, caller.deviceId),
          isNull(devices.revokedAt),
        ),
      )
      .returning({ id: devices.id });
    await tx.update(devices).set({ certificate: null }).where(eq(devices.id, caller.deviceId));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(refreshTokens.userId, caller.userId),
          ne(refreshTokens.deviceId, caller.deviceId),
          isNull(refreshTokens.revokedAt),
        ),
      );
    await tx.delete(keyPackages).where(eq(keyPackages.userId, caller.userId));
    await tx.delete(secretStorage).where(eq(secretStorage.userId, caller.userId));
    await tx.delete(backupEntries).where(eq(backupEntries.userId, caller.userId));
    return others.map((d) => d.id);
  });
  const until = now.getTime() + deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;
  for (const deviceId of signedOut)
    publishRevocation(bus, { userId: caller.userId, deviceId, until, reason: 'identity-reset' });
  deps.logger.warn(
    { userId: caller.userId, deviceId: caller.deviceId, signedOut: signedOut.length },
    'encryption identity reset',
  );
  return { signedOut: signedOut.length };
}
