import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { publishAccountDeleted, publishRevocation, type Bus } from '@rchat/server-kit';
import {
  backupEntries,
  devices,
  keyPackages,
  linkSessions,
  refreshTokens,
  secretStorage,
  users,
} from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { reauthenticate, wrongPassword } from './support/reauthenticate.ts';

/**
 * Deletes the caller's account. The calling device must be certified (its
 * route's `device: 'certified'`) and the password right. In one transaction: the user row becomes a
 * tombstone (the
 * username stays reserved so nobody can register it to pose as the person;
 * the password hash is replaced by one of random bytes, the identity key is
 * erased), every device is revoked and its name erased, and the sessions,
 * KeyPackages, secret storage, message backup and link sessions are deleted.
 * Then every instance refuses the devices' tokens and ends their streams,
 * and chat marks the account in every conversation (the other members'
 * clients remove its devices from the groups).
 */
export async function deleteAccount(
  deps: UsersDeps,
  bus: Bus,
  caller: { userId: string; deviceId: string },
  password: string,
): Promise<void> {
  const user = await reauthenticate(deps, caller.userId, password);
  const tombstoneHash = await deps.hasher.hash(randomBytes(32).toString('base64url'));
  const now = deps.now();
  const userId = caller.userId;
  const revoked = await deps.db.transaction(async (tx) => {
    const marked = await tx
      .update(users)
      .set({ deletedAt: now, passwordHash: tombstoneHash, identityKey: null })
      .where(
        and(
          eq(users.id, userId),
          isNull(users.deletedAt),
          eq(users.passwordHash, user.passwordHash),
        ),
      )
      .returning({ id: users.id });
    if (marked.length === 0) throw wrongPassword(); // the password changed, or the account was deleted, meanwhile
    const gone = await tx
      .update(devices)
      .set({ revokedAt: now, certificate: null, name: 'deleted' })
      .where(and(eq(devices.userId, userId), isNull(devices.revokedAt)))
      .returning({ id: devices.id });
    await tx.delete(refreshTokens).where(eq(refreshTokens.userId, userId));
    await tx.delete(keyPackages).where(eq(keyPackages.userId, userId));
    await tx.delete(secretStorage).where(eq(secretStorage.userId, userId));
    await tx.delete(backupEntries).where(eq(backupEntries.userId, userId));
    await tx.delete(linkSessions).where(eq(linkSessions.userId, userId));
    return gone;
  });
  const until = now.getTime() + deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;
  for (const d of revoked) publishRevocation(bus, { userId, deviceId: d.id, until });
  publishAccountDeleted(bus, { userId });
  deps.logger.info({ userId, devices: revoked.length }, 'account deleted');
}
