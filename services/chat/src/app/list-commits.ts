import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@rchat/server-kit';
import type { CommitsQuery, CommitsResponse } from '@rchat/protocol';
import { conversations } from '../db/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { requireMember } from './support/membership.ts';
import { toCommit } from './support/to-dto.ts';

/**
 * Commits made in `since` and later, in epoch order: what a device applies to
 * catch up after EPOCH_CONFLICT. At most `q.limit`, and no more than fit in
 * MAX_PAGE_BYTES (at least one): only the commits that fit are read. A short
 * page may have more after it; `epoch` says how far the conversation is.
 */
export async function listCommits(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
  q: CommitsQuery,
): Promise<CommitsResponse> {
  await requireMember(deps.db, conversationId, caller.userId);
  const result = await queryRows<{
    conversation_id: string;
    epoch: string | number;
    sender_user_id: string;
    sender_device_id: string;
    commit: Uint8Array;
    created_at: Date | string;
  }>(
    deps.db,
    sql`
    with page as (
      select epoch, (octet_length(commit) + 2) / 3 * 4 as bytes from commits
      where conversation_id = ${conversationId} and epoch >= ${q.since}
      order by epoch limit ${q.limit}
    ), fitting as (
      select epoch, sum(bytes) over (order by epoch) as upto, row_number() over (order by epoch) as n from page
    )
    select c.conversation_id, c.epoch, c.sender_user_id, c.sender_device_id, c.commit, c.created_at
    from fitting f join commits c on c.conversation_id = ${conversationId} and c.epoch = f.epoch
    where f.n = 1 or f.upto <= ${deps.config.MAX_PAGE_BYTES}
    order by c.epoch`,
  );
  const [conv] = await deps.db
    .select({ epoch: conversations.epoch })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .limit(1);
  return {
    commits: result.map((r) =>
      toCommit({
        conversationId: r.conversation_id,
        epoch: Number(r.epoch),
        senderUserId: r.sender_user_id,
        senderDeviceId: r.sender_device_id,
        commit: r.commit,
        createdAt: new Date(r.created_at),
      }),
    ),
    epoch: Number(conv?.epoch ?? 0),
  };
}
