import {
  importJWK,
  jwtVerify,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWK,
  type CryptoKey as JoseKey,
} from 'jose';
import {
  accessClaimsSchema,
  splitRouteKey,
  type AccessClaims,
  type RevocationReason,
  type RouteKeyOf,
  type routeTable,
} from '@rchat/protocol';
import { AppError } from './app-error.ts';

export const TOKEN_ISSUER = 'rchat';
export const TOKEN_AUDIENCE = 'rchat';

/** Where verification keys come from: the users service over HTTP, or in-process. */
export type KeySetSource = () => Promise<JSONWebKeySet>;

/** The users service's route with its public signing keys (checked against the route table). */
const jwksRoute: RouteKeyOf<(typeof routeTable)[number]> = 'GET /.well-known/jwks.json';

/** The users service's signing keys, read from its JWKS route at `usersUrl`. */
export function remoteKeySet(usersUrl: string, fetchImpl: typeof fetch = fetch): KeySetSource {
  const url = new URL(splitRouteKey(jwksRoute).path, usersUrl).toString();
  return async () => {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`JWKS fetch from ${url} failed with ${res.status}`);
    return (await res.json()) as JSONWebKeySet;
  };
}

export interface VerifiedToken extends AccessClaims {
  expiresAt: number;
}

/**
 * Verifies EdDSA access tokens against a cached key set. An unknown `kid`
 * refreshes the cache (at most once per `minRefreshMs`), so key rotation needs
 * no restart. Any other algorithm — `none`, HS256 with the public key — fails.
 */
export function createTokenVerifier(
  source: KeySetSource,
  options: {
    minRefreshMs?: number;
    now?: () => number;
    /**
     * Truthy when the device was revoked; `identity-reset` answers IDENTITY_RESET instead of
     * DEVICE_REVOKED.
     */
    isRevoked?: (deviceId: string) => boolean | RevocationReason;
    /**
     * True when the session (refresh-token family, the `sid` claim) was ended: signed out, password
     * changed.
     */
    isSessionEnded?: (sessionId: string) => boolean;
    cacheSize?: number;
  } = {},
) {
  const minRefreshMs = options.minRefreshMs ?? 5_000;
  let keys = new Map<string, JoseKey | Uint8Array>();
  const verified = new VerifiedTokens(options.cacheSize ?? 10_000);
  let lastRefresh = 0;
  let refreshing: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        const set = await source();
        const next = new Map<string, JoseKey | Uint8Array>();
        for (const jwk of set.keys) {
          if (!jwk.kid || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') continue;
          next.set(jwk.kid, await importJWK(jwk as JWK, 'EdDSA'));
        }
        // A key no longer published takes the tokens it signed with it, as a verification would.
        if ([...keys.keys()].some((kid) => !next.has(kid))) verified.clear();
        keys = next;
        lastRefresh = Date.now();
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function keyFor(kid: string | undefined): Promise<JoseKey | Uint8Array> {
    if (!kid) throw unauthenticated('The access token has no key id.');
    let key = keys.get(kid);
    if (!key && Date.now() - lastRefresh >= minRefreshMs) {
      try {
        await refresh();
      } catch (cause) {
        throw new AppError(
          'UNAVAILABLE',
          'Token keys cannot be fetched right now; retry shortly.',
          { cause },
        );
      }
      key = keys.get(kid);
    }
    if (!key) throw unauthenticated('The access token was signed with an unknown key.');
    return key;
  }

  function refuseEnded(claims: AccessClaims): void {
    revokedCheck(options.isRevoked?.(claims.did));
    if (claims.sid !== undefined && options.isSessionEnded?.(claims.sid))
      throw unauthenticated(
        'This session has ended (signed out from another device, or the password changed); sign in again.',
      );
  }

  return {
    async verify(token: string): Promise<VerifiedToken> {
      const at = options.now?.() ?? Date.now();
      const known = verified.get(token, at);
      if (known) {
        refuseEnded(known);
        return { ...known };
      }
      try {
        const { payload } = await jwtVerify(token, (header) => keyFor(header.kid), {
          algorithms: ['EdDSA'],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          ...(options.now ? { currentDate: new Date(options.now()) } : {}),
        });
        const claims = accessClaimsSchema.safeParse(payload);
        if (!claims.success || typeof payload.exp !== 'number')
          throw unauthenticated('The access token lacks required claims.');
        const result = { ...claims.data, expiresAt: payload.exp * 1000 };
        refuseEnded(result);
        verified.set(token, result);
        return { ...result };
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (e instanceof joseErrors.JWTExpired)
          throw unauthenticated('The access token has expired; refresh it.');
        throw unauthenticated('The access token is invalid.', e);
      }
    },
    refresh,
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/**
 * Tokens whose signature and claims were checked, until they expire: a client
 * sends the same access token with every request, and checking an Ed25519
 * signature each time was a tenth of the chat service's CPU on history reads.
 * Bounded (the oldest entry goes first); revocation is still checked per request.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();
  constructor(private readonly max: number) {}

  get(token: string, at: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry && entry.expiresAt <= at) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, result: VerifiedToken): void {
    if (this.max <= 0) return;
    this.entries.set(token, result);
    if (this.entries.size > this.max)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Throws when the token's device was revoked: IDENTITY_RESET when an identity reset signed it out,
 * else DEVICE_REVOKED.
 */
function revokedCheck(revocation: boolean | RevocationReason | undefined): void {
  if (!revocation) return;
  const headers = { 'www-authenticate': 'Bearer' };
  if (revocation === 'identity-reset') {
    throw new AppError(
      'IDENTITY_RESET',
      "This device was signed out because your account's encryption identity was reset from another device.",
      { headers },
    );
  }
  throw new AppError(
    'DEVICE_REVOKED',
    'This device was removed from the account; sign in again as a new device.',
    { headers },
  );
}

function unauthenticated(message: string, cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', message, {
    cause,
    headers: { 'www-authenticate': 'Bearer' },
  });
}
