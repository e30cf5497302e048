import { AppError, isAppError } from '@rchat/server-kit';
import type { UserDirectory } from '../app/deps.ts';

/** In-process directory (single-process server). */
export function localUserDirectory(
  getUser: (id: string) => Promise<{ id: string; username: string }>,
): UserDirectory {
  return {
    async getUser(id) {
      try {
        const u = await getUser(id);
        return { id: u.id, username: u.username };
      } catch (e) {
        if (isAppError(e) && e.code === 'USER_NOT_FOUND') return null;
        throw e;
      }
    },
  };
}

/** Asks the users service over HTTP, on the caller's behalf (their access token). */
export function httpUserDirectory(usersUrl: string): UserDirectory {
  return {
    async getUser(id, callerToken) {
      let res: Response;
      try {
        res = await fetch(new URL(`/users/${encodeURIComponent(id)}`, usersUrl), {
          headers: { authorization: `Bearer ${callerToken}` },
          signal: AbortSignal.timeout(5_000),
        });
      } catch (cause) {
        throw new AppError('UNAVAILABLE', 'The users service is unreachable; retry shortly.', {
          cause,
        });
      }
      if (res.status === 404) return null;
      if (!res.ok)
        throw new AppError(
          'UNAVAILABLE',
          `The users service answered ${res.status}; retry shortly.`,
        );
      const body = (await res.json()) as { id: string; username: string };
      return { id: body.id, username: body.username };
    },
  };
}
