import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { AppError, base64ByteLength } from '@rchat/server-kit';
import type { InboxEntry, Message, SendMessageRequest } from '@rchat/protocol';
import { conversationMembers, conversations, messages } from '../adapters/postgres/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './inbox.ts';
import { requireMember } from './membership.ts';
import { toMessage } from './to-dto.ts';

export type SendOutcome = { kind: 'created'; message: Message } | { kind: 'duplicate'; message: Message };

/**
 * Stores one message and one inbox entry per member in a single transaction,
 * then publishes. Idempotent per (device, txnId): the conversation row is
 * locked before the txnId is looked up, so concurrent duplicates serialise and
 * all but the first return the stored message.
 */
export async function sendMessage(deps: ChatDeps, caller: Caller, conversationId: string, input: SendMessageRequest): Promise<SendOutcome> {
  if (base64ByteLength(input.ciphertext) > deps.config.MAX_CIPHERTEXT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A message may carry at most ${deps.config.MAX_CIPHERTEXT_BYTES} bytes of ciphertext.`);
  }
  await requireMember(deps.db, conversationId, caller.userId);
  const ciphertext = Buffer.from(input.ciphertext, 'base64');
  const now = deps.now();

  const outcome = await deps.db.transaction(async (tx) => {
    const locked = (await tx.execute(sql`select last_seq from conversations where id = ${conversationId} for update`)) as unknown as { rows: { last_seq: string | number }[] };
    const conv = locked.rows[0];
    if (!conv) throw new AppError('CONVERSATION_NOT_FOUND', 'No conversation with this id exists for you.');

    const [prior] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.senderDeviceId, caller.deviceId), eq(messages.txnId, input.txnId)))
      .limit(1);
    if (prior) {
      if (prior.conversationId !== conversationId || !Buffer.from(prior.ciphertext).equals(ciphertext)) {
        throw new AppError('TXN_ID_REUSED', 'This txnId was already used by this device for another message; use a fresh txnId per message.');
      }
      return { kind: 'duplicate', message: toMessage(prior), published: [] } as const;
    }

    const seq = Number(conv.last_seq) + 1;
    const row = { id: randomUUID(), conversationId, seq, senderUserId: caller.userId, senderDeviceId: caller.deviceId, txnId: input.txnId, ciphertext, epoch: input.epoch ?? null, createdAt: now };
    await tx.update(conversations).set({ lastSeq: seq, lastActivityAt: now }).where(eq(conversations.id, conversationId));
    await tx.insert(messages).values(row);
    // Sending marks the conversation read up to the new message for the sender.
    await tx
      .update(conversationMembers)
      .set({ readSeq: seq })
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, caller.userId)));
    const members = await tx
      .select({ userId: conversationMembers.userId })
      .from(conversationMembers)
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(conversationMembers.userId);
    const message = toMessage(row);
    const published: { userId: string; entry: InboxEntry }[] = [];
    for (const m of members) {
      const inboxSeq = await appendInbox(tx, m.userId, { type: 'message', conversationId, messageSeq: seq }, now);
      published.push({ userId: m.userId, entry: { seq: inboxSeq, type: 'message', createdAt: now.toISOString(), message } });
    }
    return { kind: 'created', message, published } as const;
  });
  publishInbox(deps.bus, outcome.published);
  return { kind: outcome.kind, message: outcome.message };
}
