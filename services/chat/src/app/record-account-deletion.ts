import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { InboxEntry } from '@rchat/protocol';
import { conversationMembers, inboxEntries } from '../db/schema.ts';
import type { ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './support/inbox.ts';

/**
 * An account was deleted (users service, over the bus or from the list read
 * at start). In each of its conversations, in one transaction per
 * conversation: the membership is marked deleted (sending there is refused
 * from then on with PEER_DELETED) and every other member's inbox gets an
 * `account-deleted` entry, on which their clients remove the account's
 * devices from the MLS group and show the line. Idempotent: a membership
 * already marked is skipped, so several instances (or a replay) write the
 * entries once. The account's own inbox entries are erased.
 */
export async function recordAccountDeletion(deps: ChatDeps, userId: string): Promise<void> {
  const memberships = await deps.db
    .select({ conversationId: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.userId, userId), isNull(conversationMembers.deletedAt)));
  for (const { conversationId } of memberships) {
    const now = deps.now();
    const published = await deps.db.transaction(async (tx) => {
      // Lock order: conversation row → member rows → inbox heads in ascending user id.
      await tx.execute(sql`select id from conversations where id = ${conversationId} for update`);
      const [marked] = await tx
        .update(conversationMembers)
        .set({ deletedAt: now })
        .where(
          and(
            eq(conversationMembers.conversationId, conversationId),
            eq(conversationMembers.userId, userId),
            isNull(conversationMembers.deletedAt),
          ),
        )
        .returning({ username: conversationMembers.username });
      if (!marked) return [];
      const others = await tx
        .select({ userId: conversationMembers.userId })
        .from(conversationMembers)
        .where(
          and(
            eq(conversationMembers.conversationId, conversationId),
            ne(conversationMembers.userId, userId),
          ),
        )
        .orderBy(conversationMembers.userId);
      const payload = { userId, username: marked.username };
      const items: { userId: string; entry: InboxEntry }[] = [];
      for (const other of others) {
        const seq = await appendInbox(
          tx,
          other.userId,
          { type: 'account-deleted', conversationId, payload },
          now,
        );
        items.push({
          userId: other.userId,
          entry: {
            seq,
            type: 'account-deleted',
            createdAt: now.toISOString(),
            conversationId,
            ...payload,
          },
        });
      }
      return items;
    });
    publishInbox(deps.bus, published);
  }
  await deps.db.delete(inboxEntries).where(eq(inboxEntries.userId, userId));
  if (memberships.length > 0)
    deps.logger.info({ userId, conversations: memberships.length }, 'account deletion recorded');
}
