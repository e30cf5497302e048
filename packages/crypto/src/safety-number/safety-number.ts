import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../util/bytes.ts';

/** Signal's iteration count for NumericFingerprintGenerator. */
export const safetyNumberIterations = 5200;
const fingerprintVersion = 0;

export interface SafetyNumberParty {
  /** A stable identifier of the user (rchat: the user id). */
  readonly stableId: string;
  /** The user's identity public key (rchat: raw 32-byte Ed25519). */
  readonly identityKey: Uint8Array;
}

/**
 * Signal's NumericFingerprintGenerator, version 0: per party,
 * h = SHA-512(u16 version ‖ key ‖ id), then `iterations` times h = SHA-512(h ‖ key);
 * the first 30 bytes as six 5-byte big-endian chunks mod 100000 give 30 digits.
 */
export function fingerprintDigits(
  party: SafetyNumberParty,
  iterations = safetyNumberIterations,
): string {
  const key = party.identityKey;
  let hash = concatBytes(
    Uint8Array.of(fingerprintVersion >> 8, fingerprintVersion & 0xff),
    key,
    utf8(party.stableId),
  );
  for (let i = 0; i < iterations; i++) hash = sha512(concatBytes(hash, key));
  let digits = '';
  for (let offset = 0; offset < 30; offset += 5) {
    let chunk = 0;
    for (let j = 0; j < 5; j++) chunk = chunk * 256 + (hash[offset + j] ?? 0);
    digits += String(chunk % 100000).padStart(5, '0');
  }
  return digits;
}

/**
 * The 60-digit safety number of two users: both halves sorted and joined, so
 * both sides compute the same number. Depends only on identity keys and user
 * ids, never on devices, so adding a device does not change it.
 */
export function safetyNumber(
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
  iterations = safetyNumberIterations,
): string {
  const a = fingerprintDigits(local, iterations);
  const b = fingerprintDigits(remote, iterations);
  return a <= b ? a + b : b + a;
}

/** "12345 67890 …": twelve groups of five digits, as people compare them. */
export function formatSafetyNumber(digits: string): string {
  return digits.match(/.{1,5}/g)?.join(' ') ?? digits;
}
