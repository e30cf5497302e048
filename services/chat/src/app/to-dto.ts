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

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function toCommit(row: { conversationId: string; epoch: number; senderUserId: string; senderDeviceId: string; commit: Uint8Array; createdAt: Date }): Commit {
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
  row: { id: string; kind: 'direct'; createdAt: Date; lastActivityAt: Date; lastSeq: number; epoch: number },
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
