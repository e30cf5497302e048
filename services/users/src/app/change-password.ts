import { and, eq, ne } from 'drizzle-orm';
import { AppError, type Bus } from '@rchat/server-kit';
import type { ChangePasswordRequest, SignedOutDevicesResponse } from '@rchat/protocol';
import { checkPassword } from '../domain/password-policy.ts';
import { refreshTokens, users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { publishEndedSessions, revokeSessions } from './support/end-sessions.ts';
import { reauthenticate, wrongPassword } from './support/reauthenticate.ts';

/**
 * Changes the account password. The calling device must be certified (its
 * route's `device: 'certified'`) and know the current password; the new one must pass the policy.
 * In one
 * transaction the hash is replaced (only if it is still the one checked) and
 * every session of every other device ends; then all instances refuse those
 * sessions' access tokens. The calling device stays signed in.
 */
export async function changePassword(
  deps: UsersDeps,
  bus: Bus,
  caller: { userId: string; deviceId: string },
  input: ChangePasswordRequest,
): Promise<SignedOutDevicesResponse> {
  const user = await reauthenticate(deps, caller.userId, input.currentPassword);
  const verdict = checkPassword(input.newPassword, user.username, deps.config.PASSWORD_MIN_LENGTH);
  if (!verdict.ok) throw new AppError('WEAK_PASSWORD', verdict.reason);
  const passwordHash = await deps.hasher.hash(input.newPassword);
  const now = deps.now();
  const ended = await deps.db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, caller.userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    if (changed.length === 0) throw wrongPassword(); // changed by another request meanwhile
    return revokeSessions(
      tx,
      and(eq(refreshTokens.userId, caller.userId), ne(refreshTokens.deviceId, caller.deviceId)),
      now,
    );
  });
  publishEndedSessions(deps, bus, ended);
  deps.logger.info(
    { userId: caller.userId, deviceId: caller.deviceId, endedSessions: ended.length },
    'password changed',
  );
  return { signedOutDevices: new Set(ended.map((s) => s.deviceId)).size };
}
