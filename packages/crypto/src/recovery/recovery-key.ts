import { hkdfSha256 } from '../primitives/hkdf.ts';
import { randomBytes, utf8 } from '../util/bytes.ts';
import { decodeBase32, encodeBase32, groupsOf4 } from './base32.ts';

/** 160 random bits: 32 characters, shown as 8 groups of 4. */
export const recoveryKeyBytes = 20;

/** A fresh recovery key, formatted for display ("K7QM-3XTP-…"). */
export function generateRecoveryKey(): string {
  return groupsOf4(encodeBase32(randomBytes(recoveryKeyBytes)));
}

/** The key's bytes, or undefined when the text is not a recovery key (typo, wrong length). */
export function parseRecoveryKey(text: string): Uint8Array | undefined {
  return decodeBase32(text, recoveryKeyBytes);
}

/**
 * The 32-byte wrapping key a recovery key stands for (HKDF; the key itself has full entropy, so no
 * stretching).
 */
export function recoveryWrappingKey(recoveryKey: Uint8Array): Uint8Array {
  return hkdfSha256(recoveryKey, new Uint8Array(0), utf8('rchat recovery key v1'), 32);
}
