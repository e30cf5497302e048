import { eq } from 'drizzle-orm';
import type { InboxEntry } from '@rchat/protocol';
import { conversationMembers } from '../db/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './support/inbox.ts';
import { requireMember } from './support/membership.ts';

/**
 * A device of a member that is not in the conversation's MLS group yet (a
 * device restored from a recovery key, with no other device of the user
 * online) asks to be added: every member's inbox gets a join request, and any
 * member device adds it with a commit after its own Authentication Service
 * has checked the device's certificate against the user's identity key. The
 * server cannot add anyone: it only passes the request on.
 */
export async function requestJoin(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
): Promise<void> {
  await requireMember(deps.db, conversationId, caller.userId);
  const now = deps.now();
  const payload = { userId: caller.userId, deviceId: caller.deviceId };
  const published = await deps.db.transaction(async (tx) => {
    const members = await tx
      .select({ userId: conversationMembers.userId })
      .from(conversationMembers)
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(conversationMembers.userId);
    const items: { userId: string; entry: InboxEntry }[] = [];
    for (const { userId } of members) {
      const seq = await appendInbox(
        tx,
        userId,
        { type: 'join-request', conversationId, payload },
        now,
      );
      items.push({
        userId,
        entry: {
          seq,
          type: 'join-request',
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
