import { z } from 'zod';

export const API_VERSION = 1;

export const idSchema = z.uuid();

/** Usernames are lowercase; input is folded to lowercase before this check. */
export const usernameSchema = z
  .string()
  .min(3, 'Username must be at least 3 characters.')
  .max(32, 'Username must be at most 32 characters.')
  .regex(/^[a-z0-9_.-]+$/, 'Username may contain only a-z, 0-9, underscore, dot and hyphen.');

/**
 * Characters a device name may not hold: controls (C0, DEL, C1), every invisible
 * format character (zero-width space, non-joiner and joiner, word joiner, BOM, soft
 * hyphen, tags) including the bidirectional overrides, embeddings, isolates and marks,
 * and line or paragraph separators. Each could make a name shown in a device list or a
 * "device added" line read as something else ("iPhone" + RLO), or look like another.
 */
const hiddenOrControlCharacter = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const deviceNameSchema = z
  .string()
  .trim()
  .min(1, 'A device name must not be empty.')
  .max(64, 'A device name must be at most 64 characters.')
  .refine(
    (name) => !hiddenOrControlCharacter.test(name),
    'A device name must not contain control characters, bidirectional overrides or invisible (zero-width) characters.',
  )
  .describe(
    'Shown in device lists: 1–64 characters after trimming, none of them a control, bidirectional-override or invisible (zero-width) character.',
  );

/**
 * Standard base64 (with padding) of opaque bytes: the alphabet, at most two
 * `=` at the end, and a length that is a multiple of four. Checked with a
 * plain character class, linear and fast (a grouped pattern cost the server
 * half a second per MiB, which a client could make it spend at will).
 */
export const base64Schema = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Must be standard base64.')
  .refine((s) => s.length % 4 === 0, 'Must be standard base64 (its length a multiple of 4).');

/** A positive sequence number carried as a JSON number (safe integer). */
export const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Query-string integers arrive as strings. */
export const querySeqSchema = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const limitSchema = (max: number, dflt: number) =>
  z.coerce.number().int().min(1).max(max).default(dflt);
