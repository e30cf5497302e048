import { gt } from 'drizzle-orm';
import type { AccountDeletedEvent } from '@rchat/protocol';
import { users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * How long chat instances that start later still act on a deletion (the bus brings it to running
 * ones).
 */
export const DELETION_REPLAY_DAYS = 30;

/**
 * Accounts deleted in the last DELETION_REPLAY_DAYS: what a chat instance applies at start
 * (idempotently).
 */
export async function recentAccountDeletions(
  deps: Pick<UsersDeps, 'db' | 'now'>,
): Promise<AccountDeletedEvent[]> {
  const since = new Date(deps.now().getTime() - DELETION_REPLAY_DAYS * 86_400_000);
  return deps.db.select({ userId: users.id }).from(users).where(gt(users.deletedAt, since));
}
