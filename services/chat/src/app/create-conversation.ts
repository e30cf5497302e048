import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { Conversation, InboxEntry } from '@rchat/protocol';
import { conversationMembers, conversations } from '../adapters/postgres/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './inbox.ts';
import { getConversation } from './list-conversations.ts';
import { toConversationSummary } from './to-dto.ts';

/** Opens the direct conversation with `peerId`, creating it once per pair. */
export async function createDirectConversation(
  deps: ChatDeps,
  caller: Caller,
  peerId: string,
): Promise<{ conversation: Conversation; created: boolean }> {
  if (peerId === caller.userId)
    throw new AppError(
      'CANNOT_CONVERSE_WITH_SELF',
      'Choose another user to start a conversation with.',
    );
  const directKey = [caller.userId, peerId].sort().join(':');
  const [existing] = await deps.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.directKey, directKey))
    .limit(1);
  if (existing)
    return { conversation: await getConversation(deps, caller, existing.id), created: false };

  const peer = await deps.users.getUser(peerId, caller.token);
  if (!peer) throw new AppError('USER_NOT_FOUND', 'No user has this id.');

  const now = deps.now();
  const id = randomUUID();
  const members = [
    { userId: caller.userId, username: caller.username },
    { userId: peer.id, username: peer.username },
  ].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  const published = await deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(conversations)
      .values({ id, kind: 'direct', directKey, createdAt: now, lastActivityAt: now, lastSeq: 0 })
      .onConflictDoNothing({ target: conversations.directKey })
      .returning({ id: conversations.id });
    if (inserted.length === 0) return null; // a concurrent request created it first
    await tx.insert(conversationMembers).values(
      members.map((m) => ({
        conversationId: id,
        userId: m.userId,
        username: m.username,
        joinedAt: now,
      })),
    );
    const summary = toConversationSummary(
      { id, kind: 'direct', createdAt: now, lastActivityAt: now, lastSeq: 0, epoch: 0 },
      members,
    );
    const items: { userId: string; entry: InboxEntry }[] = [];
    for (const m of members) {
      const seq = await appendInbox(
        tx,
        m.userId,
        { type: 'conversation', conversationId: id, payload: summary },
        now,
      );
      items.push({
        userId: m.userId,
        entry: { seq, type: 'conversation', createdAt: now.toISOString(), conversation: summary },
      });
    }
    return items;
  });
  if (!published) {
    const [winner] = await deps.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.directKey, directKey))
      .limit(1);
    if (!winner) throw new AppError('INTERNAL', 'The conversation could not be created.');
    return { conversation: await getConversation(deps, caller, winner.id), created: false };
  }
  publishInbox(deps.bus, published);
  return { conversation: await getConversation(deps, caller, id), created: true };
}
