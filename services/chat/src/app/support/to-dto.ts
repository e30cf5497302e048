import type { Commit, Conversation, Message } from '@rchat/protocol';

export function toMessage(row: {
  id: string;
  conversationId: string;
  seq: number;
  senderUserId: string;
  senderDeviceId: string;
  txnId: string;
  ciphertext: Uint8Array;
  epoch: number | null;
  createdAt: Date;
}): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    senderUserId: row.senderUserId,
    senderDeviceId: row.senderDeviceId,
    txnId: row.txnId,
    ciphertext: b64(row.ciphertext),
    epoch: row.epoch === null ? null : Number(row.epoch),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A message's columns as a raw statement returns them (aliased `m_…` where they would clash); all
 * null when a left join found none.
 */
export interface MessageColumns {
  m_id: string | null;
  m_seq: string | number | null;
  sender_user_id: string | null;
  sender_device_id: string | null;
  txn_id: string | null;
  ciphertext: Uint8Array | null;
  m_epoch: string | number | null;
  m_created_at: Date | string | null;
}

/**
 * The message in `r`, or null when there is none; `fallbackCreatedAt` stands in for a missing
 * timestamp.
 */
export function messageFromColumns(
  conversationId: string,
  r: MessageColumns,
  fallbackCreatedAt?: Date | string,
): Message | null {
  const createdAt = r.m_created_at ?? fallbackCreatedAt;
  if (r.m_id === null || r.ciphertext === null || createdAt === undefined) return null;
  return toMessage({
    id: r.m_id,
    conversationId,
    seq: Number(r.m_seq),
    senderUserId: r.sender_user_id ?? '',
    senderDeviceId: r.sender_device_id ?? '',
    txnId: r.txn_id ?? '',
    ciphertext: r.ciphertext,
    epoch: r.m_epoch === null ? null : Number(r.m_epoch),
    createdAt: new Date(createdAt),
  });
}

export const b64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function toCommit(row: {
  conversationId: string;
  epoch: number;
  senderUserId: string;
  senderDeviceId: string;
  commit: Uint8Array;
  createdAt: Date;
}): Commit {
  return {
    conversationId: row.conversationId,
    epoch: Number(row.epoch),
    senderUserId: row.senderUserId,
    senderDeviceId: row.senderDeviceId,
    commit: b64(row.commit),
    createdAt: row.createdAt.toISOString(),
  };
}

export type ConversationSummary = Omit<Conversation, 'readSeq' | 'unreadCount'>;

export function toConversationSummary(
  row: {
    id: string;
    kind: 'direct';
    createdAt: Date;
    lastActivityAt: Date;
    lastSeq: number;
    epoch: number;
  },
  members: readonly { userId: string; username: string }[],
): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    members: members.map((m) => ({ userId: m.userId, username: m.username })),
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    lastSeq: Number(row.lastSeq),
    epoch: Number(row.epoch),
  };
}
