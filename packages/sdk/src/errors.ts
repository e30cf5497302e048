import type { ClientErrorCode, ErrorCode } from '@rchat/protocol';

export type { ClientErrorCode } from '@rchat/protocol';

/**
 * Every code an `RchatError` may carry: the server's catalogue and the client's own (docs/errors.md
 * lists both).
 */
export type RchatErrorCode = ErrorCode | ClientErrorCode;

declare const answered: unique symbol;

/**
 * The HTTP status of an answer the client really got. Only the readers of
 * answers (answer-errors.ts, which every failed request and stream goes
 * through) make one, with `answerStatus`; the SDK does not export it.
 */
export type AnswerStatus = number & { readonly [answered]: true };

/**
 * Marks `status` as the status of an answer that came from the server (or a proxy in front of it).
 */
export function answerStatus(status: number): AnswerStatus {
  return status as AnswerStatus;
}

/**
 * An API error with the server's stable code, or a code the client raised
 * itself. `status` is the HTTP status of the answer it came from, or 0 when
 * no answer did (the client decided, or the server could not be reached):
 * the SDK never makes up a status. The types hold it: an error the client
 * raises takes the literal 0, and a nonzero status needs an `AnswerStatus`,
 * which only the code reading an answer makes.
 */
export class RchatError extends Error {
  override name = 'RchatError';
  constructor(
    readonly code: RchatErrorCode,
    message: string,
    readonly status: 0 | AnswerStatus,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
