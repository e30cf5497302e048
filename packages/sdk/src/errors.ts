import type { ErrorCode } from '@rchat/protocol';

/** An API error with the server's stable code; `status` 0 means the server was unreachable. */
export class RchatError extends Error {
  override name = 'RchatError';
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status: number,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
