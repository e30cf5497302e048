import { sha256 } from '@noble/hashes/sha2.js';
import { verifyEd25519 } from '../primitives/ed25519.ts';
import { bytesEqual, toHex } from '../util/bytes.ts';
import { certificateSigningInput, type DeviceCertificate } from './device-certificate.ts';

export interface CertificateExpectations {
  /** The identity public key the caller trusts for `certificate.userId`. */
  readonly trustedIdentityKey: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  readonly now: number;
}

export type CertificateVerification =
  | { kind: 'ok'; certificate: DeviceCertificate }
  /** Signed by an identity other than the one trusted for this user. */
  | { kind: 'wrong-key'; message: string }
  | { kind: 'bad-signature'; message: string }
  | { kind: 'expired'; expiresAt: number; message: string };

/** Short, stable rendering of a key for messages people read. */
export function keyFingerprint(key: Uint8Array): string {
  return toHex(key.subarray(0, 8));
}

/**
 * A device key's fingerprint for people to compare: SHA-256 of the key, first 16 bytes, in 8 groups
 * of 4 hex digits.
 */
export function deviceKeyFingerprint(key: Uint8Array): string {
  return (toHex(sha256(key).subarray(0, 16)).match(/.{4}/g) ?? []).join(' ');
}

/** Checks issuer, signature and expiry, in that order. */
export function verifyDeviceCertificate(
  certificate: DeviceCertificate,
  expect: CertificateExpectations,
): CertificateVerification {
  const who = `device ${certificate.deviceId} of user ${certificate.userId}`;
  if (!bytesEqual(certificate.identityKey, expect.trustedIdentityKey)) {
    return {
      kind: 'wrong-key',
      message: `The certificate of ${who} is signed by identity key ${keyFingerprint(certificate.identityKey)}…, not by the key trusted for this user (${keyFingerprint(expect.trustedIdentityKey)}…).`,
    };
  }
  if (
    !verifyEd25519(
      certificate.identityKey,
      certificateSigningInput(certificate),
      certificate.signature,
    )
  ) {
    return {
      kind: 'bad-signature',
      message: `The certificate of ${who} does not carry a valid signature of its identity key.`,
    };
  }
  if (certificate.expiresAt <= expect.now) {
    return {
      kind: 'expired',
      expiresAt: certificate.expiresAt,
      message: `The certificate of ${who} expired at ${new Date(certificate.expiresAt).toISOString()}.`,
    };
  }
  return { kind: 'ok', certificate };
}
