import { sha256 } from '@noble/hashes/sha2.js';
import type { PrivateMessage } from 'ts-mls';
import { toBase64 } from '../util/base64.ts';
import { concatBytes } from '../util/bytes.ts';

/** How many accepted ciphertexts a Group remembers (about 26 KiB of state). */
export const replayWindow = 1024;

/** 128-bit digest naming one PrivateMessage (its AEAD ciphertexts are unique). */
export function messageDigest(pm: PrivateMessage): string {
  return toBase64(sha256(concatBytes(pm.encryptedSenderData, pm.ciphertext)).subarray(0, 16));
}

export function remember(seen: readonly string[], digest: string): readonly string[] {
  const next =
    seen.length >= replayWindow ? seen.slice(seen.length - replayWindow + 1) : seen.slice();
  next.push(digest);
  return next;
}
