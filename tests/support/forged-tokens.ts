import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, importJWK, base64url, type JWK } from 'jose';
import { sql, type Database } from '@rchat/server-kit';

export interface ForgedTokens {
  /** Signed by the server's key, but expired a minute ago. */
  expired: string;
  /** Signed by a stranger's key under the server's real key id. */
  forged: string;
  /** `alg: none`, no signature. */
  none: string;
  /** HS256 keyed with the server's public key (the classic algorithm-confusion attack). */
  hs256: string;
}

async function claimsToken(
  users: Database,
  payload: Record<string, unknown>,
  opts: { expSecondsFromNow: number; signWith: 'server' | 'stranger' },
): Promise<string> {
  const [row] = await users.rows<{ kid: string; private_jwk: JWK | string }>(
    sql`select kid, private_jwk from signing_keys order by created_at desc limit 1`,
  );
  if (!row) throw new Error('no signing key');
  const jwk =
    typeof row.private_jwk === 'string' ? (JSON.parse(row.private_jwk) as JWK) : row.private_jwk;
  const key =
    opts.signWith === 'server'
      ? await importJWK(jwk, 'EdDSA')
      : generateKeyPairSync('ed25519').privateKey;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: row.kid })
    .setIssuer('rchat')
    .setAudience('rchat')
    .setIssuedAt(now - 3600)
    .setExpirationTime(now + opts.expSecondsFromNow)
    .sign(key);
}

/**
 * Access tokens for a real user and device that the server must refuse, each for its own reason.
 */
export async function forgedTokens(
  baseUrl: string,
  users: Database,
  user: { id: string; deviceId: string; username: string },
): Promise<ForgedTokens> {
  const claims = { sub: user.id, did: user.deviceId, usr: user.username };
  const header = (h: object) => base64url.encode(JSON.stringify(h));
  const body = base64url.encode(
    JSON.stringify({
      ...claims,
      iss: 'rchat',
      aud: 'rchat',
      exp: Math.floor(Date.now() / 1000) + 600,
    }),
  );
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as {
    keys: (JWK & { kid: string })[];
  };
  const pub = jwks.keys[0];
  if (!pub) throw new Error('no public key');
  return {
    expired: await claimsToken(users, claims, { expSecondsFromNow: -60, signWith: 'server' }),
    forged: await claimsToken(users, claims, { expSecondsFromNow: 600, signWith: 'stranger' }),
    none: `${header({ alg: 'none', typ: 'JWT' })}.${body}.`,
    hs256: await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', kid: pub.kid })
      .setIssuer('rchat')
      .setAudience('rchat')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(JSON.stringify(pub))),
  };
}
