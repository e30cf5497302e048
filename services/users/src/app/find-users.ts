import { and, asc, eq, gt, isNull, like } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { SearchUsersQuery, SearchUsersResponse, User } from '@rchat/protocol';
import { users } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toUser(row: { id: string; username: string; createdAt: Date }): User {
  return { id: row.id, username: row.username, createdAt: row.createdAt.toISOString() };
}

/** Prefix search on usernames, ordered by username, keyset-paginated. */
export async function searchUsers(
  deps: UsersDeps,
  q: SearchUsersQuery,
): Promise<SearchUsersResponse> {
  const prefix = and(like(users.username, `${escapeLike(q.query)}%`), isNull(users.deletedAt));
  const rows = await deps.db
    .select({ id: users.id, username: users.username, createdAt: users.createdAt })
    .from(users)
    .where(q.after ? and(prefix, gt(users.username, q.after)) : prefix)
    .orderBy(asc(users.username))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    users: page.map(toUser),
    next: rows.length > q.limit ? (page.at(-1)?.username ?? null) : null,
  };
}

export async function getUser(deps: UsersDeps, id: string): Promise<User> {
  const [row] = await deps.db
    .select({ id: users.id, username: users.username, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
    .limit(1);
  if (!row) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
  return toUser(row);
}
