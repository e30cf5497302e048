import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@rchat/server-kit';
import type { SessionResponse } from '@rchat/protocol';
import { refreshTokens } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

export function hashRefreshToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
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
  const now = deps.now();
  const refreshToken = newRefreshToken();
  await tx.insert(refreshTokens).values({
    id: randomUUID(),
    familyId,
    userId: user.id,
    deviceId,
    tokenHash: hashRefreshToken(refreshToken),
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  });
  const access = await deps.keys.signAccessToken({ sub: user.id, did: deviceId, usr: user.username }, deps.config.ACCESS_TOKEN_TTL_SECONDS, now);
  return {
    user: { id: user.id, username: user.username, createdAt: user.createdAt.toISOString() },
    deviceId,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
  };
}
