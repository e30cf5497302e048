import { aesGcmNonceLength, aesGcmOpen, aesGcmSeal, type AesKey } from '../primitives/aes-gcm.ts';
import { concatBytes, randomBytes, utf8 } from '../util/bytes.ts';

const formatVersion = 1;

/**
 * What the storage adapter supplies: 32 raw bytes, or a WebCrypto AES-GCM
 * CryptoKey of 256 bits (which may be non-extractable).
 */
export type StorageKey = AesKey;

function aad(purpose: string): Uint8Array {
  return concatBytes(utf8('rchat at-rest v1\u0000'), utf8(purpose));
}

function checkKey(key: StorageKey): void {
  const bits =
    key instanceof Uint8Array ? key.length * 8 : (key.algorithm as AesKeyAlgorithm).length;
  if (bits !== 256)
    throw new Error('A storage key is AES-256: 32 raw bytes or a 256-bit AES-GCM CryptoKey.');
}

/**
 * AES-256-GCM with a fresh 12-byte random nonce. `purpose` (e.g. "group:<id>")
 * is authenticated, so a blob stored under one name cannot be swapped in for
 * another. Output: u8 version ‖ nonce ‖ ciphertext ‖ tag.
 */
export async function sealAtRest(
  key: StorageKey,
  plaintext: Uint8Array,
  purpose: string,
): Promise<Uint8Array> {
  checkKey(key);
  const nonce = randomBytes(aesGcmNonceLength);
  const sealed = await aesGcmSeal(key, nonce, plaintext, aad(purpose));
  return concatBytes(Uint8Array.of(formatVersion), nonce, sealed);
}

export type OpenResult =
  | { kind: 'ok'; plaintext: Uint8Array }
  | { kind: 'tampered'; message: string };

export async function openAtRest(
  key: StorageKey,
  sealed: Uint8Array,
  purpose: string,
): Promise<OpenResult> {
  checkKey(key);
  if (sealed.length < 1 + aesGcmNonceLength + 16 || sealed[0] !== formatVersion) {
    return { kind: 'tampered', message: 'The stored blob is truncated or of an unknown format.' };
  }
  const nonce = sealed.subarray(1, 1 + aesGcmNonceLength);
  const plaintext = await aesGcmOpen(
    key,
    nonce,
    sealed.subarray(1 + aesGcmNonceLength),
    aad(purpose),
  );
  if (plaintext === undefined)
    return {
      kind: 'tampered',
      message: 'The stored blob failed authentication: wrong key, wrong purpose, or altered bytes.',
    };
  return { kind: 'ok', plaintext };
}

/** A fresh random 32-byte storage key (for adapters that keep raw keys). */
export function generateStorageKey(): Uint8Array {
  return randomBytes(32);
}
