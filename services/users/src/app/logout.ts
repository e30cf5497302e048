import { eq } from 'drizzle-orm';
import type { Bus } from '@rchat/server-kit';
import { refreshTokens } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { publishEndedSessions, revokeSessions } from './support/end-sessions.ts';
import { hashRefreshToken } from './support/sessions.ts';

/**
 * Ends the session the refresh token belongs to, its access tokens included. Unknown tokens are
 * ignored (logout is idempotent).
 */
export async function logout(deps: UsersDeps, bus: Bus, presented: string): Promise<void> {
  const [row] = await deps.db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashRefreshToken(presented)))
    .limit(1);
  if (!row) return;
  publishEndedSessions(
    deps,
    bus,
    await revokeSessions(deps.db, eq(refreshTokens.familyId, row.familyId), deps.now()),
  );
}
