import { and, eq, ne } from 'drizzle-orm';
import type { Bus } from '@rchat/server-kit';
import type { SignedOutDevicesResponse } from '@rchat/protocol';
import { refreshTokens } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { publishEndedSessions, revokeSessions } from './support/end-sessions.ts';

/**
 * Ends every session of every other device of the caller's account: their
 * refresh tokens stop working at once, every instance refuses their access
 * tokens and delivery ends their streams. The devices stay in the list with
 * their keys and group memberships (like a messenger's "log out everywhere
 * else"); each comes back only by signing in again. Removing a device for
 * good is `DELETE /devices/:id`.
 */
export async function signOutOtherDevices(
  deps: UsersDeps,
  bus: Bus,
  caller: { userId: string; deviceId: string },
): Promise<SignedOutDevicesResponse> {
  const ended = await revokeSessions(
    deps.db,
    and(eq(refreshTokens.userId, caller.userId), ne(refreshTokens.deviceId, caller.deviceId)),
    deps.now(),
  );
  publishEndedSessions(deps, bus, ended);
  deps.logger.info(
    { userId: caller.userId, deviceId: caller.deviceId, endedSessions: ended.length },
    'other devices signed out',
  );
  return { signedOutDevices: new Set(ended.map((s) => s.deviceId)).size };
}
