import { queryRows } from '@rchat/server-kit';
import { sql } from 'drizzle-orm';
import type { ReadMarkerResponse } from '@rchat/protocol';
import type { Caller, ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './support/inbox.ts';
import { getConversation } from './get-conversation.ts';
import { requireMember } from './support/membership.ts';

/**
 * Moves the caller's read marker forward (never back, never past the newest
 * message) and tells the caller's other devices through their inbox.
 */
export async function markRead(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
  seq: number,
): Promise<ReadMarkerResponse> {
  await requireMember(deps.db, conversationId, caller.userId);
  const now = deps.now();
  const published = await deps.db.transaction(async (tx) => {
    const updated = await queryRows<{ read_seq: string | number }>(
      tx,
      sql`
      update conversation_members m
      set read_seq = least(${seq}::bigint, c.last_seq)
      from conversations c
      where c.id = m.conversation_id and m.conversation_id = ${conversationId} and m.user_id = ${caller.userId}
        and m.read_seq < least(${seq}::bigint, c.last_seq)
      returning m.read_seq`,
    );
    const row = updated[0];
    if (!row) return null;
    const readSeq = Number(row.read_seq);
    const inboxSeq = await appendInbox(
      tx,
      caller.userId,
      { type: 'read', conversationId, payload: { readSeq } },
      now,
    );
    return {
      userId: caller.userId,
      entry: {
        seq: inboxSeq,
        type: 'read' as const,
        createdAt: now.toISOString(),
        conversationId,
        readSeq,
      },
    };
  });
  if (published) publishInbox(deps.bus, [published]);
  const conversation = await getConversation(deps, caller, conversationId);
  return { conversationId, readSeq: conversation.readSeq, unreadCount: conversation.unreadCount };
}
