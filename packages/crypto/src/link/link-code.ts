import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase32, encodeBase32, groupsOf4 } from '../recovery/base32.ts';
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../util/bytes.ts';

/**
 * The code a new device shows (typed or scanned on a signed-in device):
 * 4 bytes of the link session id (the rendezvous), a 10-byte commitment to
 * the new device's ephemeral X25519 public key, and a checksum byte —
 * 24 characters of Crockford base32, shown as 6 groups of 4. The public key
 * itself travels through the relay; the commitment in the code makes a
 * substituted key detectable (an 80-bit second preimage within the session's
 * 10 minutes), so the code stays short enough to type.
 */
const rendezvousBytes = 4;
const commitmentBytes = 10;
const codeBytes = rendezvousBytes + commitmentBytes + 1;

export interface LinkCode {
  /** Hex prefix of the link session id. */
  rendezvous: string;
  commitment: Uint8Array;
}

export function keyCommitment(publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8('rchat link key v1\u0000'), publicKey)).subarray(0, commitmentBytes);
}

export function formatLinkCode(sessionId: string, publicKey: Uint8Array): string {
  const rendezvous = fromHex(sessionId.replace(/-/g, '').slice(0, rendezvousBytes * 2));
  if (!rendezvous || rendezvous.length !== rendezvousBytes) throw new Error('A link session id is a UUID.');
  const body = concatBytes(rendezvous, keyCommitment(publicKey));
  return groupsOf4(encodeBase32(concatBytes(body, sha256(body).subarray(0, 1))));
}

/** The code's parts, or undefined when it has a typo (wrong characters, length or checksum). */
export function parseLinkCode(text: string): LinkCode | undefined {
  const bytes = decodeBase32(text, codeBytes);
  if (!bytes) return undefined;
  const body = bytes.subarray(0, codeBytes - 1);
  if (sha256(body)[0] !== bytes[codeBytes - 1]) return undefined;
  return { rendezvous: toHex(body.subarray(0, rendezvousBytes)), commitment: body.slice(rendezvousBytes) };
}

/** Whether a session id and public key match the code. */
export function linkCodeMatches(code: LinkCode, sessionId: string, publicKey: Uint8Array): boolean {
  return sessionId.replace(/-/g, '').toLowerCase().startsWith(code.rendezvous) && bytesEqual(keyCommitment(publicKey), code.commitment);
}
