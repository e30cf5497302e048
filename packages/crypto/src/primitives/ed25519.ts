import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesEqual } from '../util/bytes.ts';

/** PKCS#8 prefix of an Ed25519 private key (RFC 8410), as WebCrypto exports it. */
const pkcs8Prefix = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

export interface Ed25519KeyPair {
  /** 32-byte RFC 8032 secret key (seed). */
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const privateKey = ed25519.utils.randomSecretKey();
  return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
}

export function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(toSeed(privateKey));
}

export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, toSeed(privateKey));
}

/**
 * Strict RFC 8032 verification (`zip215: false`): rejects non-canonical
 * encodings and small-order keys that the lenient ZIP-215 rules accept.
 * Malformed lengths are a failed verification, never an exception.
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Accepts a 32-byte seed or the 48-byte PKCS#8 form that WebCrypto exports. */
function toSeed(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length === 32) return privateKey;
  if (privateKey.length === 48 && bytesEqual(privateKey.subarray(0, 16), pkcs8Prefix))
    return privateKey.subarray(16);
  throw new Error('An Ed25519 private key is 32 bytes (or 48 bytes of PKCS#8).');
}
