import { errorBodySchema, type ErrorCode } from '@rchat/protocol';
import type { z } from 'zod';
import { answerStatus, RchatError } from './errors.ts';

/** The request never got an answer: offline, DNS, refused or reset. */
export function networkError(cause: unknown): RchatError {
  return new RchatError(
    'NETWORK',
    'The server cannot be reached; check the connection and try again.',
    0,
    undefined,
    undefined,
    { cause },
  );
}

/** No answer (or not all of it) within the client's request timeout. */
export function timeoutError(ms: number): RchatError {
  return new RchatError(
    'TIMEOUT',
    `The server did not answer within ${Math.round(ms / 1000)} seconds; check the connection and try again.`,
    0,
  );
}

/** An answer the protocol does not allow: `details` lists what was wrong, as `{path, message}`. */
export function badResponse(
  status: number,
  what: string,
  issues: readonly z.core.$ZodIssue[] = [],
): RchatError {
  const details = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return new RchatError(
    'BAD_RESPONSE',
    `The server's answer (HTTP ${status}) ${what}; it may be a proxy in front of rchat, or a server of another version.`,
    answerStatus(status),
    details.length ? details : undefined,
  );
}

/**
 * The error an unsuccessful answer stands for. rchat's own JSON error body
 * gives its code; anything else (a proxy's HTML 502, an error body without a
 * known code) gets a code from its status, and keeps that status.
 */
export function errorFromAnswer(
  status: number,
  text: string,
  retryAfterHeader: string | null,
): RchatError {
  const retryAfter = Number(retryAfterHeader);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const parsed = errorBodySchema.safeParse(parseJson(text));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new RchatError(code, message, answerStatus(status), details, retryAfterSeconds);
  }
  const code: ErrorCode | 'BAD_RESPONSE' =
    status === 413
      ? 'PAYLOAD_TOO_LARGE'
      : status === 429
        ? 'RATE_LIMITED'
        : status >= 500
          ? 'UNAVAILABLE'
          : 'BAD_RESPONSE';
  if (code === 'BAD_RESPONSE') return badResponse(status, 'is an error rchat does not send');
  const said = {
    PAYLOAD_TOO_LARGE: 'This is larger than the server accepts.',
    RATE_LIMITED: 'Too many requests; wait a moment and try again.',
    UNAVAILABLE: 'The server is unavailable right now; try again in a moment.',
  }[code];
  return new RchatError(
    code,
    `${said} (HTTP ${status})`,
    answerStatus(status),
    undefined,
    retryAfterSeconds,
  );
}

/** The JSON value of a body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
