import { AppError } from '@rchat/server-kit';

/** How long a link session relays messages. */
export const LINK_SESSION_TTL_MS = 10 * 60_000;

/** The most messages one link session carries. */
export const LINK_SESSION_MAX_MESSAGES = 20;

/** The error for a link session that is not the caller's, or expired. */
export function linkSessionNotFound(): AppError {
  return new AppError(
    'LINK_SESSION_NOT_FOUND',
    'No link session of yours has this id, or it expired; start linking again.',
  );
}
