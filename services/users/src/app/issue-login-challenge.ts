import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LoginChallengeResponse } from '@rchat/protocol';
import type { UsersDeps } from './deps.ts';

/** How long a login challenge may be answered. */
export const LOGIN_CHALLENGE_TTL_MS = 120_000;

/**
 * A single-use random challenge that a device signs with its key to sign in
 * as itself (`login` with `device.proof`). Stored until used or expired; each
 * call also clears expired ones, so the table stays small.
 */
export async function issueLoginChallenge(deps: UsersDeps): Promise<LoginChallengeResponse> {
  const now = deps.now();
  const challenge = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS);
  await deps.db.execute(sql`
    with expired as (delete from login_challenges where expires_at < ${now})
    insert into login_challenges (challenge, expires_at) values (${challenge}, ${expiresAt})`);
  return { challenge, expiresAt: expiresAt.toISOString() };
}
