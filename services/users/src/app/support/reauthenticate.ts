import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import { users } from '../../db/schema.ts';
import type { UsersDeps } from '../deps.ts';

/**
 * Checks the account's current password for an operation a signed-in device
 * must confirm (password change, deletion). Answers the row it checked: the
 * caller's write compares `passwordHash`, so a change made meanwhile wins.
 */
export async function reauthenticate(
  deps: Pick<UsersDeps, 'db' | 'hasher'>,
  userId: string,
  password: string,
): Promise<{ username: string; passwordHash: string }> {
  const [user] = await deps.db
    .select({ username: users.username, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user || !(await deps.hasher.verify(user.passwordHash, password))) throw wrongPassword();
  return user;
}

export function wrongPassword(): AppError {
  return new AppError('WRONG_PASSWORD', 'The current password is wrong; nothing was changed.');
}
