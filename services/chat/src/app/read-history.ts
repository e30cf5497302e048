import { and, desc, eq, lt } from 'drizzle-orm';
import type { HistoryQuery, HistoryResponse } from '@rchat/protocol';
import { messages } from '../adapters/postgres/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { requireMember } from './membership.ts';
import { toMessage } from './to-dto.ts';

/** One page of history, newest first, keyset-paginated on the conversation sequence. */
export async function readHistory(deps: ChatDeps, caller: Caller, conversationId: string, q: HistoryQuery): Promise<HistoryResponse> {
  await requireMember(deps.db, conversationId, caller.userId);
  const where = q.before === undefined ? eq(messages.conversationId, conversationId) : and(eq(messages.conversationId, conversationId), lt(messages.seq, q.before));
  const rows = await deps.db.select().from(messages).where(where).orderBy(desc(messages.seq)).limit(q.limit);
  const oldest = rows.at(-1);
  return {
    messages: rows.map(toMessage),
    nextBefore: rows.length === q.limit && oldest && oldest.seq > 1 ? oldest.seq : null,
  };
}
