import { randomBytes } from 'node:crypto';
import type { LoginChallengeResponse } from '@rchat/protocol';
import { loginChallenges } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/** How long a login challenge may be answered. */
export const LOGIN_CHALLENGE_TTL_MS = 120_000;

/**
 * A single-use random challenge that a device signs with its key to sign in
 * as itself (`login` with `device.proof`). Stored until used, or until the
 * retention schedule deletes it after it expired (`clean-up-expired.ts`).
 */
export async function issueLoginChallenge(deps: UsersDeps): Promise<LoginChallengeResponse> {
  const now = deps.now();
  const challenge = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS);
  await deps.db.insert(loginChallenges).values({ challenge, expiresAt });
  return { challenge, expiresAt: expiresAt.toISOString() };
}
