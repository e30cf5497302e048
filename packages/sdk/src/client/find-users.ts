import { USER_SEARCH_MIN_LENGTH } from '@rchat/protocol';
import { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';

/**
 * Other users whose username starts with `prefix`; a prefix shorter than USER_SEARCH_MIN_LENGTH is
 * refused here, without asking the server.
 */
export async function searchUsers(
  ctx: ClientContext,
  prefix: string,
  limit: number,
): Promise<{ id: string; username: string }[]> {
  const query = prefix.trim().toLowerCase();
  if (query.length < USER_SEARCH_MIN_LENGTH) {
    throw new RchatError(
      'VALIDATION_FAILED',
      `Type at least ${USER_SEARCH_MIN_LENGTH} characters of a username to search.`,
      0,
    );
  }
  const res = await ctx.api.searchUsers(query, { limit });
  return res.users
    .filter((u) => u.id !== ctx.userId)
    .map((u) => ({ id: u.id, username: u.username }));
}

/** The id of the user called exactly `username`, or USER_NOT_FOUND. */
export async function findUserId(ctx: ClientContext, username: string): Promise<string> {
  const name = username.trim().toLowerCase();
  // No username is shorter than the search minimum, so a shorter name names no one.
  if (name.length < USER_SEARCH_MIN_LENGTH)
    throw new RchatError('USER_NOT_FOUND', `No user is called ${name}.`, 0);
  const res = await ctx.api.searchUsers(name, { limit: 1 });
  const match = res.users.find((u) => u.username === name);
  if (!match) throw new RchatError('USER_NOT_FOUND', `No user is called ${name}.`, 0);
  return match.id;
}
