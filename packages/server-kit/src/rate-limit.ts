import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';

/**
 * Route config for @fastify/rate-limit (registered with `global: false`, so
 * only routes that opt in are limited; event streams never are). Over the
 * limit the route answers 429 RATE_LIMITED with Retry-After.
 */
export function rateLimited(max: number, keyGenerator?: (request: FastifyRequest) => string) {
  return {
    rateLimit: {
      max,
      timeWindow: 60_000,
      ...(keyGenerator ? { keyGenerator } : {}),
      errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) =>
        new AppError('RATE_LIMITED', 'Too many attempts; wait a moment and try again.', { headers: { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) } }),
    },
  };
}

/** Keys a limit by the caller's access token (so per device), falling back to the client address. */
export function byAccessToken(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  return typeof auth === 'string' && auth.length > 40 ? `t:${auth.slice(-43)}` : `ip:${request.ip}`;
}
