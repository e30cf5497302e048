import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@rchat/server-kit';
import type { SessionResponse } from '@rchat/protocol';
import { refreshTokens } from '../../db/schema.ts';
import type { UsersDeps } from '../deps.ts';

export function hashRefreshToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new session: its refresh token, and the row that stores the token's hash. */
export function newSession(
  deps: UsersDeps,
  userId: string,
  deviceId: string,
  familyId: string = randomUUID(),
) {
  const now = deps.now();
  const refreshToken = newRefreshToken();
  const row = {
    id: randomUUID(),
    familyId,
    userId,
    deviceId,
    tokenHash: hashRefreshToken(refreshToken),
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  };
  return { refreshToken, row };
}

/**
 * The end of a statement that stores a session's refresh token for the device
 * inserted by its CTE `d` (returning `id, user_id`): registration and a login
 * as a new device write everything in one statement.
 */
export function storeSessionOfNewDevice(row: ReturnType<typeof newSession>['row']): SQL {
  return sql`insert into refresh_tokens (id, family_id, user_id, device_id, token_hash, created_at, expires_at)
    select ${row.id}::uuid, ${row.familyId}::uuid, d.user_id, d.id, ${row.tokenHash}::bytea, ${row.createdAt}::timestamptz, ${row.expiresAt}::timestamptz from d`;
}

/**
 * Signs the access token of a session whose refresh token is stored, and answers with both. The
 * token
 * names its session (`sid`, the refresh-token family), so ending the session refuses it too.
 */
export async function sessionResponse(
  deps: UsersDeps,
  user: { id: string; username: string; createdAt: Date },
  deviceId: string,
  session: { refreshToken: string; familyId: string },
): Promise<SessionResponse> {
  const { refreshToken } = session;
  const access = await deps.keys.signAccessToken(
    { sub: user.id, did: deviceId, usr: user.username, sid: session.familyId },
    deps.config.ACCESS_TOKEN_TTL_SECONDS,
    deps.now(),
  );
  return {
    user: { id: user.id, username: user.username, createdAt: user.createdAt.toISOString() },
    deviceId,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
  };
}

/**
 * Issues an access token and a refresh token for a device. `familyId` chains
 * the refresh tokens of one login, so a reused token revokes them all.
 */
export async function issueSession(
  deps: UsersDeps,
  tx: Db,
  user: { id: string; username: string; createdAt: Date },
  deviceId: string,
  familyId: string = randomUUID(),
): Promise<SessionResponse> {
  const session = newSession(deps, user.id, deviceId, familyId);
  await tx.insert(refreshTokens).values(session.row);
  return sessionResponse(deps, user, deviceId, { refreshToken: session.refreshToken, familyId });
}
