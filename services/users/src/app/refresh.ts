import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { SessionResponse } from '@rchat/protocol';
import { devices, refreshTokens, users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { hashRefreshToken, issueSession } from './support/sessions.ts';

/**
 * Rotates a refresh token. The token is marked rotated with a conditional
 * update, so of two concurrent uses exactly one succeeds; presenting a token
 * that was already rotated revokes its whole family (a stolen copy was used).
 */
export async function refresh(deps: UsersDeps, presented: string): Promise<SessionResponse> {
  const now = deps.now();
  const tokenHash = hashRefreshToken(presented);
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .limit(1);
    if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime()) {
      const [gone] = row?.revokedAt
        ? await tx
            .select({ reason: devices.revokedReason })
            .from(devices)
            .where(eq(devices.id, row.deviceId))
            .limit(1)
        : [];
      return gone?.reason === 'identity-reset'
        ? ({ kind: 'identity-reset' } as const)
        : ({ kind: 'invalid' } as const);
    }
    const claimed = await tx
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
      .returning({ id: refreshTokens.id });
    if (claimed.length === 0) return { kind: 'reused', familyId: row.familyId } as const;
    const [device] = await tx.select().from(devices).where(eq(devices.id, row.deviceId)).limit(1);
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId)).limit(1);
    if (!device || device.revokedAt || !user) return { kind: 'invalid' } as const;
    await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, device.id));
    return {
      kind: 'ok',
      session: await issueSession(deps, tx, user, device.id, row.familyId),
    } as const;
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.session;
    case 'invalid':
      throw new AppError('INVALID_REFRESH_TOKEN', 'This session has ended; log in again.');
    case 'identity-reset':
      throw new AppError(
        'IDENTITY_RESET',
        "This device was signed out because your account's encryption identity was reset from another device.",
      );
    case 'reused':
      await revokeFamily(deps, outcome.familyId);
      deps.logger.warn(
        { familyId: outcome.familyId },
        'rotated refresh token presented again: session revoked',
      );
      throw new AppError(
        'REFRESH_TOKEN_REUSED',
        'This session was revoked because an old refresh token was used again; log in again.',
      );
  }
}

/** Revokes every live refresh token of a family (a login's chain of rotations). */
async function revokeFamily(deps: UsersDeps, familyId: string): Promise<void> {
  await deps.db
    .update(refreshTokens)
    .set({ revokedAt: deps.now() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}
