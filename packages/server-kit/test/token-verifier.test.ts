import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { AppError, createTokenVerifier } from '../src/index.ts';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } as JWK };
}

const claims = { sub: '00000000-0000-4000-8000-000000000001', did: '00000000-0000-4000-8000-000000000002', usr: 'alice' };
const sign = (k: Awaited<ReturnType<typeof keyPair>>, exp = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: k.kid }).setIssuer('rchat').setAudience('rchat').setIssuedAt().setExpirationTime(exp).sign(k.privateKey);

describe('token verifier', () => {
  it('follows key rotation: a token from a new key verifies after one refresh, old keys keep working while published', async () => {
    const k1 = await keyPair('k1');
    const k2 = await keyPair('k2');
    let published: JSONWebKeySet = { keys: [k1.jwk] };
    let fetches = 0;
    const verifier = createTokenVerifier(async () => {
      fetches++;
      return published;
    }, { minRefreshMs: 0 });
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
    await expect(verifier.verify(await sign(stranger))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refetches keys at most once per interval when unknown key ids keep coming', async () => {
    let fetches = 0;
    const verifier = createTokenVerifier(async () => {
      fetches++;
      return { keys: [] };
    }, { minRefreshMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await sign(await keyPair(`x${i}`)))).rejects.toBeInstanceOf(AppError);
    }
    expect(fetches).toBe(1);
  });

  it('rejects expired tokens with a sentence saying so', async () => {
    const k = await keyPair('k1');
    const verifier = createTokenVerifier(async () => ({ keys: [k.jwk] }));
    await expect(verifier.verify(await sign(k, '-1m'))).rejects.toThrow(/expired/);
  });
});
