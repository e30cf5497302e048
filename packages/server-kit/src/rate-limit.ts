import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';
import { callerOf } from './auth.ts';
import type { TokenVerifier } from './jwt-verifier.ts';

const WINDOW_MS = 60_000;

/**
 * Route config for @fastify/rate-limit (registered with `global: false`, so
 * only routes that opt in are limited; event streams never are). Over the
 * limit the route answers 429 RATE_LIMITED with Retry-After.
 */
export function rateLimited(
  max: number,
  keyGenerator?: (request: FastifyRequest) => string | Promise<string>,
) {
  return {
    rateLimit: {
      max,
      timeWindow: WINDOW_MS,
      ...(keyGenerator ? { keyGenerator } : {}),
      errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => rateLimitedError(ctx.ttl),
    },
  };
}

/**
 * Keys a limit by the caller's verified user id, so every device and every
 * new token of one account share one budget (signing in again does not reset
 * it). A token that does not verify falls back to the client address: forged
 * tokens cannot spend someone else's budget, nor escape their own address's.
 * The verifier remembers tokens it checked, so the handler's own check is free.
 */
export function byCaller(verifier: TokenVerifier): (request: FastifyRequest) => Promise<string> {
  return async (request) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      try {
        return `u:${callerOf(await verifier.verify(token), token).userId}`;
      } catch {
        // Not a valid token: the request is limited (and then refused) by its address.
      }
    }
    return `ip:${request.ip}`;
  };
}

/**
 * A per-key budget checked inside a use case, after the caller's right to
 * act on the key is established (a conversation's budget is spent only by its
 * members). Fixed one-minute windows; at most `maxKeys` windows are kept (the
 * oldest goes first), so memory stays bounded whatever the keys.
 */
export class KeyedLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly what: string,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use of `key`; throws RATE_LIMITED (with Retry-After) past the budget. */
  take(key: string): void {
    const at = this.now();
    let window = this.windows.get(key);
    if (!window || at - window.start >= WINDOW_MS) {
      this.windows.delete(key);
      window = { start: at, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys)
        this.windows.delete(this.windows.keys().next().value as string);
    }
    window.count++;
    if (window.count > this.max)
      throw rateLimitedError(
        WINDOW_MS - (at - window.start),
        `Too many ${this.what}; wait a moment and try again.`,
      );
  }
}

function rateLimitedError(
  ttlMs: number,
  message = 'Too many attempts; wait a moment and try again.',
): AppError {
  return new AppError('RATE_LIMITED', message, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(ttlMs / 1000))) },
  });
}
