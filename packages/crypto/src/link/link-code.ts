import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase32, encodeBase32, groupsOf4 } from '../recovery/base32.ts';
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../util/bytes.ts';

/**
 * The code a new device shows (typed or scanned on a signed-in device):
 * 4 bytes of the link session id (the rendezvous) and a 10-byte commitment
 * to the new device's ephemeral X25519 public key in 23 characters of
 * Crockford base32, then a check character (a weighted sum of the others
 * mod 32 with odd weights, so every single mistyped character is caught) —
 * 24 characters, shown as 6 groups of 4. The public key
 * itself travels through the relay; the commitment in the code makes a
 * substituted key detectable (an 80-bit second preimage within the session's
 * 10 minutes), so the code stays short enough to type.
 */
const rendezvousBytes = 4;
const commitmentBytes = 10;
const bodyBytes = rendezvousBytes + commitmentBytes;
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Σ (2i + 1) · symbol_i mod 32: odd weights are invertible mod 32, so changing any one symbol
 * changes the sum.
 */
function checkCharacter(symbols: string): string {
  let sum = 0;
  for (let i = 0; i < symbols.length; i++) sum += (2 * i + 1) * alphabet.indexOf(symbols[i] ?? '0');
  return alphabet[sum % 32] ?? '0';
}

export interface LinkCode {
  /** Hex prefix of the link session id. */
  rendezvous: string;
  commitment: Uint8Array;
}

export function keyCommitment(publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8('rchat link key v1\u0000'), publicKey)).subarray(
    0,
    commitmentBytes,
  );
}

export function formatLinkCode(sessionId: string, publicKey: Uint8Array): string {
  const rendezvous = fromHex(sessionId.replace(/-/g, '').slice(0, rendezvousBytes * 2));
  if (!rendezvous || rendezvous.length !== rendezvousBytes)
    throw new Error('A link session id is a UUID.');
  const symbols = encodeBase32(concatBytes(rendezvous, keyCommitment(publicKey)));
  return groupsOf4(symbols + checkCharacter(symbols));
}

/** The code's parts, or undefined when it has a typo (wrong characters, length or checksum). */
export function parseLinkCode(text: string): LinkCode | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const symbols = clean.slice(0, -1);
  if (clean.length === 0 || checkCharacter(symbols) !== clean.slice(-1)) return undefined;
  const body = decodeBase32(symbols, bodyBytes);
  if (!body) return undefined;
  return {
    rendezvous: toHex(body.subarray(0, rendezvousBytes)),
    commitment: body.slice(rendezvousBytes),
  };
}

/** Whether a session id and public key match the code. */
export function linkCodeMatches(code: LinkCode, sessionId: string, publicKey: Uint8Array): boolean {
  return (
    sessionId.replace(/-/g, '').toLowerCase().startsWith(code.rendezvous) &&
    bytesEqual(keyCommitment(publicKey), code.commitment)
  );
}
