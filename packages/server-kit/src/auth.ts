import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';
import type { TokenVerifier, VerifiedToken } from './jwt-verifier.ts';

/** Extracts and verifies the caller's access token (Bearer header; the query only where allowed). */
export async function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
  options: { allowQueryToken?: boolean } = {},
): Promise<VerifiedToken> {
  const header = request.headers.authorization;
  let token: string | undefined;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new AppError(
        'UNAUTHENTICATED',
        'The Authorization header must be "Bearer <access token>".',
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    token = match[1];
  } else if (options.allowQueryToken) {
    const q = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof q === 'string') token = q;
  }
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'Sign in first: this request needs an access token.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  return verifier.verify(token);
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
