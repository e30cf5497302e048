import type { Conversation, Message } from '@rchat/protocol';

export function toMessage(row: {
  id: string;
  conversationId: string;
  seq: number;
  senderUserId: string;
  senderDeviceId: string;
  txnId: string;
  ciphertext: Uint8Array;
  createdAt: Date;
}): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    senderUserId: row.senderUserId,
    senderDeviceId: row.senderDeviceId,
    txnId: row.txnId,
    ciphertext: Buffer.from(row.ciphertext.buffer, row.ciphertext.byteOffset, row.ciphertext.byteLength).toString('base64'),
    createdAt: row.createdAt.toISOString(),
  };
}

export type ConversationSummary = Omit<Conversation, 'readSeq' | 'unreadCount'>;

export function toConversationSummary(
  row: { id: string; kind: 'direct'; createdAt: Date; lastActivityAt: Date; lastSeq: number },
  members: readonly { userId: string; username: string }[],
): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    members: members.map((m) => ({ userId: m.userId, username: m.username })),
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    lastSeq: Number(row.lastSeq),
  };
}
