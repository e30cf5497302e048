import { eq, sql } from 'drizzle-orm';
import { AppError, base64ByteLength, queryRows } from '@rchat/server-kit';
import type { CommitRequest, InboxEntry } from '@rchat/protocol';
import { commits, conversationMembers, conversations } from '../db/schema.ts';
import type { Caller, ChatDeps } from './deps.ts';
import { appendInbox, publishInbox } from './support/inbox.ts';
import { requireMember } from './support/membership.ts';
import { toCommit } from './support/to-dto.ts';

/**
 * The commit sequencer: a commit made in epoch N is accepted only while the
 * conversation is at epoch N, and moves it to N + 1. Of concurrent commits on
 * one epoch the first wins; the others get EPOCH_CONFLICT, so a group never
 * forks. The commit goes to every member's inbox, the Welcome only to the
 * devices it names.
 */
export async function submitCommit(
  deps: ChatDeps,
  caller: Caller,
  conversationId: string,
  input: CommitRequest,
): Promise<{ epoch: number }> {
  const max = deps.config.MAX_COMMIT_BYTES;
  if (
    base64ByteLength(input.commit) > max ||
    (input.welcome && base64ByteLength(input.welcome.message) > max)
  ) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A commit or Welcome may be at most ${max} bytes.`);
  }
  await requireMember(deps.db, conversationId, caller.userId);
  deps.limits.commitsPerConversation.take(conversationId);
  const now = deps.now();
  const published = await deps.db.transaction(async (tx) => {
    const advanced = await queryRows<{ epoch: string | number }>(
      tx,
      sql`
      update conversations set epoch = epoch + 1
      where id = ${conversationId} and epoch = ${input.epoch}
      returning epoch`,
    );
    if (advanced.length === 0) {
      const [conv] = await tx
        .select({ epoch: conversations.epoch })
        .from(conversations)
        .where(eq(conversations.id, conversationId))
        .limit(1);
      throw new AppError(
        'EPOCH_CONFLICT',
        `Another commit for epoch ${input.epoch} was accepted first; the conversation is at epoch ${conv?.epoch ?? '?'}. Apply the pending commits and retry.`,
        {
          details: { epoch: Number(conv?.epoch ?? 0) },
        },
      );
    }
    const members = await tx
      .select({ userId: conversationMembers.userId })
      .from(conversationMembers)
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(conversationMembers.userId);
    const memberIds = new Set(members.map((m) => m.userId));
    const strangers = (input.welcome?.recipients ?? []).filter((r) => !memberIds.has(r.userId));
    if (strangers.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        'A Welcome may only go to devices of conversation members.',
        { details: strangers },
      );

    const row = {
      conversationId,
      epoch: input.epoch,
      senderUserId: caller.userId,
      senderDeviceId: caller.deviceId,
      commit: Buffer.from(input.commit, 'base64'),
      createdAt: now,
    };
    await tx.insert(commits).values(row);
    const commit = toCommit(row);
    const items: { userId: string; entry: InboxEntry }[] = [];
    for (const { userId } of members) {
      const seq = await appendInbox(
        tx,
        userId,
        { type: 'commit', conversationId, commitEpoch: input.epoch },
        now,
      );
      items.push({ userId, entry: { seq, type: 'commit', createdAt: now.toISOString(), commit } });
      const deviceIds = (input.welcome?.recipients ?? [])
        .filter((r) => r.userId === userId)
        .map((r) => r.deviceId);
      if (input.welcome && deviceIds.length > 0) {
        const payload = {
          epoch: input.epoch + 1,
          welcome: input.welcome.message,
          senderUserId: caller.userId,
          senderDeviceId: caller.deviceId,
        };
        const wseq = await appendInbox(
          tx,
          userId,
          { type: 'welcome', conversationId, deviceIds, payload },
          now,
        );
        items.push({
          userId,
          entry: {
            seq: wseq,
            type: 'welcome',
            createdAt: now.toISOString(),
            conversationId,
            deviceIds,
            ...payload,
          },
        });
      }
    }
    return items;
  });
  publishInbox(deps.bus, published);
  return { epoch: input.epoch + 1 };
}
