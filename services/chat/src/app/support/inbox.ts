import { sql } from 'drizzle-orm';
import { queryRows, type Bus, type Db } from '@rchat/server-kit';
import { inboxSubject, type InboxAppendedEvent, type InboxEntry } from '@rchat/protocol';
import { inboxEntries } from '../../db/schema.ts';

type EntryBody =
  | { type: 'message'; conversationId: string; messageSeq: number }
  | { type: 'commit'; conversationId: string; commitEpoch: number }
  | { type: 'welcome'; conversationId: string; deviceIds: string[]; payload: unknown }
  | {
      type: 'conversation' | 'read' | 'join-request' | 'account-deleted';
      conversationId: string;
      payload: unknown;
    };

/**
 * Appends one entry to a user's inbox inside the caller's transaction and
 * returns its sequence. The head row is locked until commit, so entries of
 * one user commit in sequence order. Callers lock users in ascending id order.
 */
export async function appendInbox(
  tx: Db,
  userId: string,
  body: EntryBody,
  now: Date,
): Promise<number> {
  const result = await queryRows<{ head_seq: string | number }>(
    tx,
    sql`
    insert into inbox_heads (user_id, head_seq) values (${userId}, 1)
    on conflict (user_id) do update set head_seq = inbox_heads.head_seq + 1
    returning head_seq`,
  );
  const seq = Number(result[0]?.head_seq);
  await tx.insert(inboxEntries).values({
    userId,
    seq,
    type: body.type,
    conversationId: body.conversationId,
    messageSeq: body.type === 'message' ? body.messageSeq : null,
    commitEpoch: body.type === 'commit' ? body.commitEpoch : null,
    deviceIds: body.type === 'welcome' ? body.deviceIds : null,
    payload: body.type === 'message' || body.type === 'commit' ? null : body.payload,
    createdAt: now,
  });
  return seq;
}

/**
 * Publishes committed inbox entries; the stores stay the truth, so a lost event is repaired by
 * readers.
 */
export function publishInbox(
  bus: Bus,
  items: readonly { userId: string; entry: InboxEntry }[],
): void {
  for (const { userId, entry } of items) {
    const event: InboxAppendedEvent = { userId, entry };
    bus.publish(inboxSubject(userId), event);
  }
}
