import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';
import type { TokenVerifier, VerifiedToken } from './jwt-verifier.ts';

/** The verified caller of a request: the one place the access token's claims get their names. */
export interface Caller {
  userId: string;
  deviceId: string;
  username: string;
  /**
   * The session (refresh-token family) the token belongs to; absent in tokens issued before
   * sessions were named.
   */
  sessionId: string | undefined;
  /**
   * The access token itself, for calls made on the caller's behalf (chat asks users for a user).
   */
  token: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

export function callerOf(claims: VerifiedToken, token: string): Caller {
  return {
    userId: claims.sub,
    deviceId: claims.did,
    username: claims.usr,
    sessionId: claims.sid,
    token,
    expiresAt: claims.expiresAt,
  };
}

/**
 * The access token of a request: the Bearer header, or `?access_token=` where allowed; undefined
 * when none.
 */
export function accessTokenOf(
  request: FastifyRequest,
  options: { allowQueryToken?: boolean } = {},
): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new AppError(
        'UNAUTHENTICATED',
        'The Authorization header must be "Bearer <access token>".',
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    return match[1];
  }
  if (options.allowQueryToken) {
    const q = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof q === 'string') return q;
  }
  return undefined;
}

/**
 * Extracts and verifies the caller's access token (Bearer header; the query only where allowed).
 */
export async function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
  options: { allowQueryToken?: boolean } = {},
): Promise<Caller> {
  const token = accessTokenOf(request, options);
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'Sign in first: this request needs an access token.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  return callerOf(await verifier.verify(token), token);
}

/** Guards /internal routes (service-to-service) with the shared INTERNAL_TOKEN. */
export function requireInternal(request: FastifyRequest, internalToken: string | undefined): void {
  const given = request.headers['x-internal-token'];
  if (!internalToken || typeof given !== 'string' || !timingSafeEqualString(given, internalToken)) {
    throw new AppError('FORBIDDEN', 'This endpoint is for rchat services only.');
  }
}

/** Compares two secrets in time that does not depend on where they differ. */
export function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type { VerifiedToken };
