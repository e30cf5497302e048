import { z } from 'zod';
import { base64Schema, idSchema, limitSchema, querySeqSchema, seqSchema } from './common.ts';

export const conversationMemberSchema = z.object({
  userId: idSchema,
  username: z.string(),
  /**
   * True once this member deleted their account: their devices are being removed from the group and
   * nothing more can be sent.
   */
  deleted: z.boolean().optional(),
});

export const conversationSchema = z.object({
  id: idSchema,
  kind: z.literal('direct'),
  members: z.array(conversationMemberSchema),
  createdAt: z.string(),
  lastActivityAt: z.string(),
  /** Sequence of the newest message in the conversation (0 when empty). */
  lastSeq: seqSchema,
  /** MLS epoch the commit sequencer is at: the next accepted commit must be made in this epoch. */
  epoch: seqSchema,
  /** The caller's read marker. */
  readSeq: seqSchema,
  /** Messages from others after the caller's read marker. */
  unreadCount: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const createConversationRequestSchema = z.strictObject({ peer: idSchema });
export type CreateConversationRequest = z.infer<typeof createConversationRequestSchema>;

/** Path parameters of `/conversations/:id…`: a conversation id. */
export const conversationParamsSchema = z.strictObject({ id: idSchema });

export const listConversationsResponseSchema = z.object({
  conversations: z.array(conversationSchema),
});

/** Client transaction id: makes a send idempotent per device. */
export const txnIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'txnId may contain only A-Z, a-z, 0-9, underscore and hyphen.');

export const sendMessageRequestSchema = z.strictObject({
  txnId: txnIdSchema,
  /** Opaque bytes, base64: the server never reads them. */
  ciphertext: base64Schema.min(1),
  /** MLS epoch the message was encrypted in (a hint for receivers; not checked). */
  epoch: seqSchema.optional(),
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  /** Position in the conversation, 1-based, strictly increasing. */
  seq: seqSchema,
  senderUserId: idSchema,
  senderDeviceId: idSchema,
  txnId: z.string(),
  ciphertext: z.string(),
  epoch: seqSchema.nullable(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const welcomeRecipientSchema = z.strictObject({ userId: idSchema, deviceId: idSchema });

export const commitRequestSchema = z.strictObject({
  /** The epoch the commit was made in; accepted only if the conversation is at this epoch. */
  epoch: seqSchema,
  /** The MLS commit message (base64). */
  commit: base64Schema.min(1),
  /** The Welcome for devices the commit adds, delivered only to those devices. */
  welcome: z
    .strictObject({
      message: base64Schema.min(1),
      recipients: z.array(welcomeRecipientSchema).min(1).max(1000),
    })
    .optional(),
});
export type CommitRequest = z.infer<typeof commitRequestSchema>;

export const commitSchema = z.object({
  conversationId: idSchema,
  /** The epoch the commit was made in; applying it moves the group to epoch + 1. */
  epoch: seqSchema,
  senderUserId: idSchema,
  senderDeviceId: idSchema,
  commit: z.string(),
  createdAt: z.string(),
});
export type Commit = z.infer<typeof commitSchema>;

export const commitsQuerySchema = z.strictObject({
  /** Return commits made in this epoch and later. */
  since: querySeqSchema.default(0),
  limit: limitSchema(500, 100),
});
export type CommitsQuery = z.infer<typeof commitsQuerySchema>;

export const commitsResponseSchema = z.object({ commits: z.array(commitSchema), epoch: seqSchema });
export type CommitsResponse = z.infer<typeof commitsResponseSchema>;

export const historyQuerySchema = z.strictObject({
  /** Return messages with seq < before (omit for the newest page). */
  before: querySeqSchema.optional(),
  limit: limitSchema(100, 50),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyResponseSchema = z.object({
  /** Newest first. */
  messages: z.array(messageSchema),
  /** Pass as `before` for the next (older) page; null at the start of the conversation. */
  nextBefore: seqSchema.nullable(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

export const readMarkerRequestSchema = z.strictObject({ seq: seqSchema });
export type ReadMarkerRequest = z.infer<typeof readMarkerRequestSchema>;

export const readMarkerResponseSchema = z.object({
  conversationId: idSchema,
  readSeq: seqSchema,
  unreadCount: z.number().int(),
});
export type ReadMarkerResponse = z.infer<typeof readMarkerResponseSchema>;
