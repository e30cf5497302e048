import { z } from 'zod';
import { base64Schema, idSchema, limitSchema, querySeqSchema, seqSchema } from './common.ts';

/** Linking a new device: a short-lived relay of opaque messages between two devices of one user. */
export const linkSessionSchema = z.object({ id: idSchema, expiresAt: z.string() });
export type LinkSession = z.infer<typeof linkSessionSchema>;

/**
 * The caller's open link sessions (a signed-in device finds the one whose id starts with the typed
 * code's rendezvous).
 */
export const linkSessionListSchema = z.object({
  sessions: z.array(
    z.object({ id: idSchema, createdBy: idSchema, createdAt: z.string(), expiresAt: z.string() }),
  ),
});
export type LinkSessionList = z.infer<typeof linkSessionListSchema>;

export const linkMessageRequestSchema = z.strictObject({
  ciphertext: base64Schema.min(1).max(87_400),
});
export type LinkMessageRequest = z.infer<typeof linkMessageRequestSchema>;

export const linkMessageSchema = z.object({
  seq: seqSchema,
  fromDeviceId: idSchema,
  ciphertext: z.string(),
  createdAt: z.string(),
});
export type LinkMessage = z.infer<typeof linkMessageSchema>;

/** Path parameters of `/link/sessions/:id…`: a link-session id. */
export const linkSessionIdParamsSchema = z.strictObject({ id: idSchema });
export const linkMessagesQuerySchema = z.strictObject({ after: querySeqSchema.default(0) });
export const linkMessagesResponseSchema = z.object({
  messages: z.array(linkMessageSchema),
  expiresAt: z.string(),
});
export type LinkMessagesResponse = z.infer<typeof linkMessagesResponseSchema>;

/**
 * Secret storage: the account's identity and backup private keys, encrypted on a device under the
 * recovery key.
 */
export const secretStorageRequestSchema = z.strictObject({
  ciphertext: base64Schema.min(1).max(16_384),
});
export type SecretStorageRequest = z.infer<typeof secretStorageRequestSchema>;
export const secretStorageSchema = z.object({ ciphertext: z.string(), updatedAt: z.string() });
export type SecretStorage = z.infer<typeof secretStorageSchema>;

/**
 * Message backup: append-only entries, each sealed to the backup public key and signed by the
 * writing device.
 */
export const appendBackupRequestSchema = z.strictObject({
  entries: z.array(base64Schema.min(1).max(87_400)).min(1).max(20),
});
export type AppendBackupRequest = z.infer<typeof appendBackupRequestSchema>;
export const backupEntrySchema = z.object({
  seq: seqSchema,
  deviceId: idSchema,
  entry: z.string(),
  createdAt: z.string(),
});
export type BackupEntry = z.infer<typeof backupEntrySchema>;
export const backupEntriesQuerySchema = z.strictObject({
  after: querySeqSchema.default(0),
  limit: limitSchema(1000, 500),
});
export const backupEntriesResponseSchema = z.object({
  entries: z.array(backupEntrySchema),
  next: seqSchema.nullable(),
});
export type BackupEntriesResponse = z.infer<typeof backupEntriesResponseSchema>;
