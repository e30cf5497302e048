import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

/**
 * The HPKE suite (RFC 9180) of message backup and device linking:
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM — the primitives of
 * MLS cipher suite 1.
 */
export const hpke = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

export interface HpkeKeyPair {
  privateKey: CryptoKey;
  publicKey: Uint8Array;
}

/**
 * The key pair a 32-byte seed stands for (RFC 9180 DeriveKeyPair), so only the seed needs keeping.
 */
export async function hpkeKeyPairFromSeed(seed: Uint8Array): Promise<HpkeKeyPair> {
  if (seed.length !== 32) throw new Error('An HPKE seed is 32 bytes.');
  const pair = await hpke.kem.deriveKeyPair(seed);
  return {
    privateKey: pair.privateKey,
    publicKey: new Uint8Array(await hpke.kem.serializePublicKey(pair.publicKey)),
  };
}
