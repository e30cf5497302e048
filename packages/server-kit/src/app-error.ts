import type { ErrorCode } from '@rchat/protocol';

/** The one error type the services throw; the HTTP adapter maps `code` to a status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
