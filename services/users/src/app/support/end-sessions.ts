import { and, isNull, type SQL } from 'drizzle-orm';
import { publishRevocation, type Bus, type Db } from '@rchat/server-kit';
import { refreshTokens } from '../../db/schema.ts';
import type { UsersDeps } from '../deps.ts';

/** One ended session: a refresh-token family of a device. */
export interface EndedSession {
  userId: string;
  deviceId: string;
  familyId: string;
}

/**
 * Revokes, inside the caller's transaction, every live refresh token that
 * `which` selects, and answers the sessions (families) that ended: their
 * refresh tokens stop working at once. Publish them afterwards
 * (`publishEndedSessions`) so their access tokens stop working too.
 */
export async function revokeSessions(
  tx: Db,
  which: SQL | undefined,
  now: Date,
): Promise<EndedSession[]> {
  const rows = await tx
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(which, isNull(refreshTokens.revokedAt)))
    .returning({
      userId: refreshTokens.userId,
      deviceId: refreshTokens.deviceId,
      familyId: refreshTokens.familyId,
    });
  const byFamily = new Map(rows.map((r) => [r.familyId, r]));
  return [...byFamily.values()];
}

/**
 * Tells every service instance that these sessions ended: each refuses their
 * unexpired access tokens (`sid` claim) and delivery ends their devices'
 * streams. The devices themselves stay; they may sign in again.
 */
export function publishEndedSessions(
  deps: Pick<UsersDeps, 'config' | 'now'>,
  bus: Bus,
  ended: readonly EndedSession[],
): void {
  const until = deps.now().getTime() + deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;
  for (const s of ended)
    publishRevocation(bus, {
      userId: s.userId,
      deviceId: s.deviceId,
      sessionId: s.familyId,
      until,
    });
}
