import type { ClientErrorCode, ErrorCode } from '@rchat/protocol';

export type { ClientErrorCode } from '@rchat/protocol';

/** Every code an `RchatError` may carry: the server's catalogue and the client's own (docs/errors.md lists both). */
export type RchatErrorCode = ErrorCode | ClientErrorCode;

/**
 * An API error with the server's stable code, or a code the client raised
 * itself. `status` is the HTTP status of the answer it came from, or 0 when
 * no answer did (the client decided, or the server could not be reached):
 * the SDK never makes up a status.
 */
export class RchatError extends Error {
  override name = 'RchatError';
  constructor(
    readonly code: RchatErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
