import { eq } from 'drizzle-orm';
import { refreshTokens } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';
import { revokeFamily } from './refresh.ts';
import { hashRefreshToken } from './sessions.ts';

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function logout(deps: UsersDeps, presented: string): Promise<void> {
  const [row] = await deps.db.select({ familyId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshToken(presented))).limit(1);
  if (row) await revokeFamily(deps, row.familyId);
}
