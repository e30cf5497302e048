import { x25519 } from '@noble/curves/ed25519.js';

export type X25519Result =
  | { kind: 'ok'; sharedSecret: Uint8Array }
  | { kind: 'invalid'; reason: string };

/**
 * RFC 7748 X25519. A peer key that yields the all-zero shared secret (a
 * small-order point) is refused, as RFC 7748 §6.1 allows and HPKE requires.
 */
export function x25519SharedSecret(
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
): X25519Result {
  if (privateKey.length !== 32 || peerPublicKey.length !== 32)
    return { kind: 'invalid', reason: 'X25519 keys are 32 bytes.' };
  try {
    return { kind: 'ok', sharedSecret: x25519.getSharedSecret(privateKey, peerPublicKey) };
  } catch {
    return {
      kind: 'invalid',
      reason: 'The peer public key is of small order (all-zero shared secret).',
    };
  }
}

export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(privateKey);
}
