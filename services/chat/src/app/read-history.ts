import { sql } from 'drizzle-orm';
import { AppError, queryRows } from '@rchat/server-kit';
import type { HistoryQuery, HistoryResponse } from '@rchat/protocol';
import type { Caller, ChatDeps } from './deps.ts';
import { messageFromColumns, type MessageColumns } from './support/to-dto.ts';

/**
 * One page of history, newest first, keyset-paginated on the conversation
 * sequence. One statement: the caller's membership row, joined with the page
 * (a left join, so a member of an empty conversation gets one row of nulls and
 * a non-member none).
 */
export async function readHistory(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
  q: HistoryQuery,
): Promise<HistoryResponse> {
  const before = q.before ?? Number.MAX_SAFE_INTEGER;
  const result = await queryRows<MessageColumns>(
    deps.db,
    sql`
    select m.id as m_id, m.seq as m_seq, m.sender_user_id, m.sender_device_id, m.txn_id, m.ciphertext, m.epoch as m_epoch, m.created_at as m_created_at
    from conversation_members cm
    left join lateral (
      select * from messages
      where messages.conversation_id = cm.conversation_id and messages.seq < ${before}
      order by messages.seq desc limit ${q.limit}
    ) m on true
    where cm.conversation_id = ${conversationId} and cm.user_id = ${caller.userId}`,
  );
  if (result.length === 0)
    throw new AppError('CONVERSATION_NOT_FOUND', 'No conversation with this id exists for you.');
  const messages = result.flatMap((r) => messageFromColumns(conversationId, r) ?? []);
  const oldest = messages.at(-1);
  return {
    messages,
    nextBefore: messages.length === q.limit && oldest && oldest.seq > 1 ? oldest.seq : null,
  };
}
