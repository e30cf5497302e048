import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { User } from '@rchat/protocol';
import { users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { toUser } from './support/to-user.ts';

/** A user that is not deleted, by id. */
export async function getUser(deps: UsersDeps, id: string): Promise<User> {
  const [row] = await deps.db
    .select({ id: users.id, username: users.username, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
    .limit(1);
  if (!row) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
  return toUser(row);
}
