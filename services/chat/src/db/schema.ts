import {
  bigint,
  customType,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const seq = (name: string) => bigint(name, { mode: 'number' });

export const conversations = pgTable('conversations', {
  id: uuid('id').primaryKey(),
  kind: text('kind', { enum: ['direct'] }).notNull(),
  directKey: text('direct_key'),
  createdAt: tz('created_at').notNull().defaultNow(),
  lastSeq: seq('last_seq').notNull().default(0),
  lastActivityAt: tz('last_activity_at').notNull().defaultNow(),
  epoch: seq('epoch').notNull().default(0),
});

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    username: text('username').notNull(),
    joinedAt: tz('joined_at').notNull().defaultNow(),
    readSeq: seq('read_seq').notNull().default(0),
    /** Set when this member deleted their account (the row stays so the others see who it was). */
    deletedAt: tz('deleted_at'),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] })],
);

export const messages = pgTable(
  'messages',
  {
    conversationId: uuid('conversation_id').notNull(),
    seq: seq('seq').notNull(),
    id: uuid('id').notNull(),
    senderUserId: uuid('sender_user_id').notNull(),
    senderDeviceId: uuid('sender_device_id').notNull(),
    txnId: text('txn_id').notNull(),
    ciphertext: bytea('ciphertext').notNull(),
    epoch: seq('epoch'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);

export const commits = pgTable(
  'commits',
  {
    conversationId: uuid('conversation_id').notNull(),
    epoch: seq('epoch').notNull(),
    senderUserId: uuid('sender_user_id').notNull(),
    senderDeviceId: uuid('sender_device_id').notNull(),
    commit: bytea('commit').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.epoch] })],
);

export const inboxHeads = pgTable('inbox_heads', {
  userId: uuid('user_id').primaryKey(),
  headSeq: seq('head_seq').notNull(),
});

export const inboxEntries = pgTable(
  'inbox_entries',
  {
    userId: uuid('user_id').notNull(),
    seq: seq('seq').notNull(),
    type: text('type', {
      enum: [
        'message',
        'conversation',
        'read',
        'commit',
        'welcome',
        'join-request',
        'account-deleted',
      ],
    }).notNull(),
    conversationId: uuid('conversation_id').notNull(),
    messageSeq: seq('message_seq'),
    commitEpoch: seq('commit_epoch'),
    /** Only these devices see the entry (welcomes); null means every device of the user. */
    deviceIds: uuid('device_ids').array(),
    payload: jsonb('payload'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.seq] })],
);

/**
 * Where each device last resumed its inbox from: it has processed every entry up to `cursorSeq`
 * (inbox retention waits for it).
 */
export const deviceCursors = pgTable(
  'device_cursors',
  {
    userId: uuid('user_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    cursorSeq: seq('cursor_seq').notNull(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceId] })],
);
