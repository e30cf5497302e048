import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { AppError, createTokenVerifier } from '../src/index.ts';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } as JWK };
}

const claims = {
  sub: '00000000-0000-4000-8000-000000000001',
  did: '00000000-0000-4000-8000-000000000002',
  usr: 'alice',
};
const sign = (k: Awaited<ReturnType<typeof keyPair>>, exp = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: k.kid })
    .setIssuer('rchat')
    .setAudience('rchat')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(k.privateKey);

describe('token verifier', () => {
  it('follows key rotation: a token from a new key verifies after one refresh, old keys keep working while published', async () => {
    const k1 = await keyPair('k1');
    const k2 = await keyPair('k2');
    let published: JSONWebKeySet = { keys: [k1.jwk] };
    let fetches = 0;
    const verifier = createTokenVerifier(
      async () => {
        fetches++;
        return published;
      },
      { minRefreshMs: 0 },
    );
    expect((await verifier.verify(await sign(k1))).usr).toBe('alice');
    expect(fetches).toBe(1);
    expect((await verifier.verify(await sign(k1))).sub).toBe(claims.sub);
    expect(fetches).toBe(1); // cached

    published = { keys: [k2.jwk, k1.jwk] };
    expect((await verifier.verify(await sign(k2))).did).toBe(claims.did);
    expect(fetches).toBe(2);
    expect((await verifier.verify(await sign(k1))).usr).toBe('alice');

    published = { keys: [k2.jwk] };
    const stranger = await keyPair('k3');
    await expect(verifier.verify(await sign(stranger))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refetches keys at most once per interval when unknown key ids keep coming', async () => {
    let fetches = 0;
    const verifier = createTokenVerifier(
      async () => {
        fetches++;
        return { keys: [] };
      },
      { minRefreshMs: 60_000 },
    );
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await sign(await keyPair(`x${i}`)))).rejects.toBeInstanceOf(
        AppError,
      );
    }
    expect(fetches).toBe(1);
  });

  it('rejects expired tokens with a sentence saying so', async () => {
    const k = await keyPair('k1');
    const verifier = createTokenVerifier(async () => ({ keys: [k.jwk] }));
    await expect(verifier.verify(await sign(k, '-1m'))).rejects.toThrow(/expired/);
  });

  it('remembers a checked token only while it is valid: expiry, a removed device and a withdrawn key still refuse it', async () => {
    const k1 = await keyPair('k1');
    const k2 = await keyPair('k2');
    let published: JSONWebKeySet = { keys: [k1.jwk] };
    let clock = Date.now();
    const revoked = new Set<string>();
    const verifier = createTokenVerifier(async () => published, {
      minRefreshMs: 0,
      now: () => clock,
      isRevoked: (did) => revoked.has(did),
    });
    const token = await sign(k1, '5m');
    expect((await verifier.verify(token)).usr).toBe('alice');
    expect((await verifier.verify(token)).usr).toBe('alice');
    // Past its expiry (the second answer came from memory, the third must not).
    clock += 5 * 60_000 + 1000;
    await expect(verifier.verify(token)).rejects.toThrow(/expired/);
    clock = Date.now();

    const other = await sign(k1, '5m');
    await verifier.verify(other);
    revoked.add(claims.did);
    await expect(verifier.verify(other)).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    revoked.clear();

    // k1 is withdrawn; the next refresh (for a token of k2) forgets what k1 signed.
    published = { keys: [k2.jwk] };
    await verifier.verify(await sign(k2));
    await expect(verifier.verify(other)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a forged token every time, also with a cache of one token', async () => {
    const k = await keyPair('k1');
    let fetches = 0;
    const verifier = createTokenVerifier(async () => (fetches++, { keys: [k.jwk] }), {
      cacheSize: 1,
    });
    const [a, b] = [await sign(k), await sign(k, '6m')];
    await verifier.verify(a);
    await verifier.verify(b);
    const forged = `${a.slice(0, a.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await verifier.verify(a)).usr).toBe('alice');
    expect(fetches).toBe(1);
  });
});
