import { z } from 'zod';
import { commitSchema, conversationSchema, messageSchema } from './chat.ts';
import { idSchema, querySeqSchema, seqSchema } from './common.ts';

/**
 * One entry of a user's inbox. `seq` is per user and strictly increasing; it is
 * the SSE event id and the resume cursor of every device of that user.
 */
const inboxBase = { seq: seqSchema, createdAt: z.string() };

export const inboxEntrySchema = z.discriminatedUnion('type', [
  z.object({ ...inboxBase, type: z.literal('message'), message: messageSchema }),
  z.object({
    ...inboxBase,
    type: z.literal('conversation'),
    conversation: conversationSchema.omit({ readSeq: true, unreadCount: true }),
  }),
  z.object({ ...inboxBase, type: z.literal('read'), conversationId: idSchema, readSeq: seqSchema }),
  z.object({ ...inboxBase, type: z.literal('commit'), commit: commitSchema }),
  z.object({
    ...inboxBase,
    type: z.literal('welcome'),
    conversationId: idSchema,
    /** The epoch the joiner enters. */
    epoch: seqSchema,
    welcome: z.string(),
    /** Only these devices receive the entry. */
    deviceIds: z.array(idSchema),
    senderUserId: idSchema,
    senderDeviceId: idSchema,
  }),
  /**
   * A member's device that is not in the conversation's group yet (restored from a recovery key)
   * asks any member device to add it.
   */
  z.object({
    ...inboxBase,
    type: z.literal('join-request'),
    conversationId: idSchema,
    userId: idSchema,
    deviceId: idSchema,
  }),
  /**
   * A member deleted their account: a remaining member device removes that user's leaves from the
   * group with a commit.
   */
  z.object({
    ...inboxBase,
    type: z.literal('account-deleted'),
    conversationId: idSchema,
    userId: idSchema,
    username: z.string(),
  }),
]);
export type InboxEntry = z.infer<typeof inboxEntrySchema>;
export type InboxEntryType = InboxEntry['type'];

export const inboxQuerySchema = z.strictObject({
  after: querySeqSchema.default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;
/** Path parameters of the internal inbox read: whose inbox. */
export const inboxOwnerParamsSchema = z.strictObject({ userId: idSchema });
/**
 * Query of the internal inbox read; delivery names the device when the read is that device resuming
 * from its cursor (`after`).
 */
export const internalInboxQuerySchema = inboxQuerySchema.extend({ device: idSchema.optional() });

export const inboxPageSchema = z.object({
  entries: z.array(inboxEntrySchema),
  /** The user's newest inbox seq at read time. */
  headSeq: seqSchema,
});
export type InboxPage = z.infer<typeof inboxPageSchema>;

/** Bus subject of a user's inbox events. */
export const inboxSubject = (userId: string): string => `rchat.inbox.${userId}`;

/** Bus event: a user's inbox grew. Subject `rchat.inbox.<userId>`. */
export const inboxAppendedEventSchema = z.object({ userId: idSchema, entry: inboxEntrySchema });
export type InboxAppendedEvent = z.infer<typeof inboxAppendedEventSchema>;

/**
 * Bus subject and event: a device was removed, or (with `sessionId`) one of its sessions ended
 * (logout,
 * password change, sign-out of other devices); services refuse the tokens (of that session) and end
 * the
 * device's streams until `until` (when its last token expires).
 */
export const devicesRevokedSubject = 'rchat.devices.revoked';
/**
 * Why a device's tokens stopped working: removed by the user, or signed out by an identity reset.
 */
export const revocationReasonSchema = z.enum(['device-removed', 'identity-reset']);
export type RevocationReason = z.infer<typeof revocationReasonSchema>;
export const deviceRevokedEventSchema = z.object({
  userId: idSchema,
  deviceId: idSchema,
  until: z.number().int(),
  reason: revocationReasonSchema.optional(),
  /** Set when only one session (refresh-token family) of the device ended: the device stays. */
  sessionId: idSchema.optional(),
});
export type DeviceRevokedEvent = z.infer<typeof deviceRevokedEventSchema>;
export const revokedDevicesResponseSchema = z.object({
  revoked: z.array(deviceRevokedEventSchema),
});

/** Most users one active-devices read may name. */
export const MAX_ACTIVE_DEVICES_USERS = 100;
/**
 * Internal read (users → chat): the devices of some users that are not removed; chat's inbox
 * retention waits for each.
 */
export const activeDevicesQuerySchema = z.strictObject({
  users: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(idSchema).min(1).max(MAX_ACTIVE_DEVICES_USERS)),
});
export const activeDeviceSchema = z.object({
  userId: idSchema,
  deviceId: idSchema,
  certified: z.boolean(),
});
export type ActiveDevice = z.infer<typeof activeDeviceSchema>;
export const activeDevicesResponseSchema = z.object({ devices: z.array(activeDeviceSchema) });

/**
 * Data of the event stream's `ready` event: the stream is live, and the inbox's newest sequence.
 */
export const streamReadySchema = z.object({ headSeq: seqSchema });
/**
 * Data of the event stream's `bye` event: why the server ends the stream (`token-expired`,
 * `shutdown`, `device-removed`, …).
 */
export const streamByeSchema = z.object({ reason: z.string() });

/** Query of GET /events; `since` is an alternative to the Last-Event-ID header. */
export const eventsQuerySchema = z.strictObject({
  access_token: z.string().max(4096).optional(),
  since: querySeqSchema.optional(),
});

/**
 * Bus subject and event: an account was deleted; chat marks it in every conversation and tells the
 * other members.
 */
export const accountsDeletedSubject = 'rchat.accounts.deleted';
export const accountDeletedEventSchema = z.object({ userId: idSchema });
export type AccountDeletedEvent = z.infer<typeof accountDeletedEventSchema>;
export const deletedAccountsResponseSchema = z.object({
  deleted: z.array(accountDeletedEventSchema),
});
