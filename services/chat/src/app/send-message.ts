import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { AppError, base64ByteLength, queryRows } from '@rchat/server-kit';
import type { InboxEntry, Message, SendMessageRequest } from '@rchat/protocol';
import { messages } from '../db/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { publishInbox } from './support/inbox.ts';
import { toMessage } from './support/to-dto.ts';

export type SendOutcome =
  | { kind: 'created'; message: Message }
  | { kind: 'duplicate'; message: Message };

/**
 * Stores one message and one inbox entry per member in a single transaction,
 * then publishes. Idempotent per (device, txnId): the conversation row is
 * locked before the txnId is looked up, so concurrent duplicates serialise and
 * all but the first return the stored message.
 */
export async function sendMessage(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
  input: SendMessageRequest,
): Promise<SendOutcome> {
  if (base64ByteLength(input.ciphertext) > deps.config.MAX_CIPHERTEXT_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `A message may carry at most ${deps.config.MAX_CIPHERTEXT_BYTES} bytes of ciphertext.`,
    );
  }
  const ciphertext = Buffer.from(input.ciphertext, 'base64');
  const now = deps.now();

  const outcome = await deps.db.transaction(async (tx) => {
    // The membership check and the conversation-row lock in one statement.
    const locked = await queryRows<{ last_seq: string | number; peer_deleted: boolean }>(
      tx,
      sql`
      select c.last_seq, exists (select 1 from conversation_members d where d.conversation_id = c.id and d.deleted_at is not null) as peer_deleted
      from conversations c
      where c.id = ${conversationId} and exists (select 1 from conversation_members m where m.conversation_id = c.id and m.user_id = ${caller.userId})
      for update of c`,
    );
    const conv = locked[0];
    if (!conv)
      throw new AppError('CONVERSATION_NOT_FOUND', 'No conversation with this id exists for you.');
    if (conv.peer_deleted)
      throw new AppError(
        'PEER_DELETED',
        'The other person deleted their account; messages can no longer be sent to this conversation.',
      );

    const seq = Number(conv.last_seq) + 1;
    const row = {
      id: randomUUID(),
      conversationId,
      seq,
      senderUserId: caller.userId,
      senderDeviceId: caller.deviceId,
      txnId: input.txnId,
      ciphertext,
      epoch: input.epoch ?? null,
      createdAt: now,
    };
    // One statement for the whole write (the conversation row is already locked, so the order of
    // the
    // parts cannot deadlock): the message — nothing else when (device, txnId) is already taken —
    // then
    // the next sequence, the sender's read marker (sending marks the conversation read for the
    // sender),
    // and one inbox entry per member in ascending user id order.
    const written = await queryRows<{ user_id: string; head_seq: string | number }>(
      tx,
      sql`
      with msg as (
        insert into messages (conversation_id, seq, id, sender_user_id, sender_device_id, txn_id, ciphertext, epoch, created_at)
        values (${conversationId}, ${seq}, ${row.id}, ${caller.userId}, ${caller.deviceId}, ${input.txnId}, ${ciphertext}, ${row.epoch}, ${now})
        on conflict (sender_device_id, txn_id) do nothing
        returning seq
      ), conv as (
        update conversations set last_seq = ${seq}, last_activity_at = ${now} where id = ${conversationId} and exists (select 1 from msg)
      ), mark as (
        update conversation_members set read_seq = ${seq}
        where conversation_id = ${conversationId} and user_id = ${caller.userId} and exists (select 1 from msg)
      ), heads as (
        insert into inbox_heads (user_id, head_seq)
        select user_id, 1 from conversation_members where conversation_id = ${conversationId} and exists (select 1 from msg) order by user_id
        on conflict (user_id) do update set head_seq = inbox_heads.head_seq + 1
        returning user_id, head_seq
      ), entries as (
        insert into inbox_entries (user_id, seq, type, conversation_id, message_seq, created_at)
        select user_id, head_seq, 'message', ${conversationId}, ${seq}, ${now} from heads
      )
      select user_id, head_seq from heads order by user_id`,
    );
    if (written.length === 0) {
      // The txnId was taken: the same message sent again (return it), or a txnId reused for another
      // one.
      const [prior] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.senderDeviceId, caller.deviceId), eq(messages.txnId, input.txnId)))
        .limit(1);
      if (
        !prior ||
        prior.conversationId !== conversationId ||
        !Buffer.from(prior.ciphertext).equals(ciphertext)
      ) {
        throw new AppError(
          'TXN_ID_REUSED',
          'This txnId was already used by this device for another message; use a fresh txnId per message.',
        );
      }
      return { kind: 'duplicate', message: toMessage(prior), published: [] } as const;
    }
    const message = toMessage(row);
    const published = written.map((h) => ({
      userId: h.user_id,
      entry: {
        seq: Number(h.head_seq),
        type: 'message' as const,
        createdAt: now.toISOString(),
        message,
      } satisfies InboxEntry,
    }));
    return { kind: 'created', message, published } as const;
  });
  publishInbox(deps.bus, outcome.published);
  return { kind: outcome.kind, message: outcome.message };
}
