import { ed25519PublicKey, generateEd25519KeyPair } from '../primitives/ed25519.ts';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';

/**
 * A user's long-term identity (Ed25519). It signs device certificates and
 * nothing else; safety numbers are computed over its public key.
 */
export interface IdentityKeyPair {
  /** 32-byte Ed25519 secret key. */
  readonly privateKey: Uint8Array;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

export function generateIdentityKeyPair(): IdentityKeyPair {
  return generateEd25519KeyPair();
}

const formatVersion = 1;

/** Serialises the key pair for storage; seal the result before it touches disk. */
export function encodeIdentityKeyPair(pair: IdentityKeyPair): Uint8Array {
  return new ByteWriter().u8(formatVersion).bytes(pair.privateKey).finish();
}

export type IdentityKeyPairDecoding =
  | { kind: 'ok'; identity: IdentityKeyPair }
  | { kind: 'malformed'; reason: string };

export function decodeIdentityKeyPair(bytes: Uint8Array): IdentityKeyPairDecoding {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== formatVersion)
      return { kind: 'malformed', reason: `Unknown identity key format ${version}.` };
    const privateKey = r.bytes(32);
    r.end();
    if (privateKey.length !== 32)
      return { kind: 'malformed', reason: 'An identity private key is 32 bytes.' };
    return { kind: 'ok', identity: { privateKey, publicKey: ed25519PublicKey(privateKey) } };
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'malformed', reason: e.message };
    throw e;
  }
}
