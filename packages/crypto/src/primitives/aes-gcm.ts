import { toArrayBuffer } from '../util/bytes.ts';

/** A raw AES key (16 or 32 bytes) or a WebCrypto AES-GCM CryptoKey. */
export type AesKey = Uint8Array | CryptoKey;

export const aesGcmNonceLength = 12;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

async function importKey(key: AesKey, usage: KeyUsage): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return key;
  if (key.length !== 16 && key.length !== 32) throw new Error('An AES key is 16 or 32 bytes.');
  return subtle().importKey('raw', toArrayBuffer(key), { name: 'AES-GCM' }, false, [usage]);
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length !== aesGcmNonceLength)
    throw new Error('AES-GCM nonces are 12 bytes here (random or counter).');
}

/** AES-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext. */
export async function aesGcmSeal(
  key: AesKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = new Uint8Array(),
): Promise<Uint8Array> {
  checkNonce(nonce);
  const k = await importKey(key, 'encrypt');
  const out = await subtle().encrypt(
    {
      name: 'AES-GCM',
      iv: toArrayBuffer(nonce),
      additionalData: toArrayBuffer(aad),
      tagLength: 128,
    },
    k,
    toArrayBuffer(plaintext),
  );
  return new Uint8Array(out);
}

/** Opens what aesGcmSeal produced; undefined when the tag does not verify. */
export async function aesGcmOpen(
  key: AesKey,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array = new Uint8Array(),
): Promise<Uint8Array | undefined> {
  checkNonce(nonce);
  const k = await importKey(key, 'decrypt');
  try {
    const out = await subtle().decrypt(
      {
        name: 'AES-GCM',
        iv: toArrayBuffer(nonce),
        additionalData: toArrayBuffer(aad),
        tagLength: 128,
      },
      k,
      toArrayBuffer(sealed),
    );
    return new Uint8Array(out);
  } catch {
    return undefined;
  }
}
