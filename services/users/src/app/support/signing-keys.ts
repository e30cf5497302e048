import { randomUUID } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type Db, type Logger } from '@rchat/server-kit';
import type { AccessClaims } from '@rchat/protocol';
import { signingKeys } from '../../db/schema.ts';

/** How many of the newest keys the JWKS publishes (the active one and its predecessors). */
export const PUBLISHED_KEYS = 3;

/**
 * EdDSA token-signing keys stored in the users database. The newest key signs;
 * older ones stay published so tokens they signed verify until they expire.
 * A new key is made when the newest is older than the rotation period.
 */
export class SigningKeys {
  private active: { kid: string; key: CryptoKey | Uint8Array; createdAt: Date } | null = null;
  private jwksCache: { at: number; value: JSONWebKeySet } | null = null;

  constructor(
    private readonly db: Db,
    private readonly rotationMs: number,
    private readonly logger: Logger,
  ) {}

  /** Loads the newest key, creating one (under a lock shared by all instances) when due. */
  async ensureCurrent(now = new Date()): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7355608)`);
      const [newest] = await tx
        .select()
        .from(signingKeys)
        .orderBy(desc(signingKeys.createdAt))
        .limit(1);
      if (newest && now.getTime() - newest.createdAt.getTime() < this.rotationMs) {
        this.active = {
          kid: newest.kid,
          key: await importJWK(newest.privateJwk as JWK, 'EdDSA'),
          createdAt: newest.createdAt,
        };
        return;
      }
      const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
        crv: 'Ed25519',
        extractable: true,
      });
      const kid = randomUUID();
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
      const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
      await tx.insert(signingKeys).values({ kid, publicJwk, privateJwk, createdAt: now });
      this.active = { kid, key: privateKey, createdAt: now };
      this.logger.info({ kid }, 'created a new token-signing key');
    });
    this.jwksCache = null;
  }

  async signAccessToken(
    claims: AccessClaims,
    ttlSeconds: number,
    now: Date,
  ): Promise<{ token: string; expiresAt: Date }> {
    if (!this.active) await this.ensureCurrent(now);
    const active = this.active;
    if (!active) throw new Error('no signing key');
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: active.kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .setJti(randomUUID())
      .sign(active.key);
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  }

  /**
   * The public keys, read from the database (cached 2 s) so every instance publishes keys any
   * instance made.
   */
  async jwks(): Promise<JSONWebKeySet> {
    if (this.jwksCache && Date.now() - this.jwksCache.at < 2_000) return this.jwksCache.value;
    const rows = await this.db
      .select({ publicJwk: signingKeys.publicJwk })
      .from(signingKeys)
      .orderBy(desc(signingKeys.createdAt))
      .limit(PUBLISHED_KEYS);
    const value = { keys: rows.map((r) => r.publicJwk as JWK) };
    this.jwksCache = { at: Date.now(), value };
    return value;
  }
}
