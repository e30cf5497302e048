import { and, asc, gt, isNull, like } from 'drizzle-orm';
import type { SearchUsersQuery, SearchUsersResponse } from '@rchat/protocol';
import { users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { toUser } from './support/to-user.ts';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
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
