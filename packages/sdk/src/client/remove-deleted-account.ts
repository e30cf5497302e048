import { groupMembers } from '@rchat/crypto';
import type { InboxEntry } from '@rchat/protocol';
import type { ClientContext } from './context.ts';
import { removeGroupDevices } from './conversation-keys.ts';

/**
 * A member of the conversation deleted their account: this device removes
 * every leaf of that user from the group with a commit (the server already
 * refuses their tokens; the commit makes sure no key of theirs can read
 * anything sent later), then tells listeners so the line "<name> deleted
 * their account" shows. Several devices may answer the same entry: the
 * sequencer lets one commit win and the others find the leaves gone.
 * Runs under the client lock.
 */
export async function removeDeletedAccount(
  ctx: ClientContext,
  entry: Extract<InboxEntry, { type: 'account-deleted' }>,
): Promise<void> {
  if (entry.userId !== ctx.userId) {
    const leavesOf = async () => {
      const group = await ctx.groups.get(entry.conversationId);
      return group
        ? groupMembers(group)
            .filter((m) => m.userId === entry.userId)
            .map((m) => ({ userId: m.userId, deviceId: m.deviceId }))
        : [];
    };
    const leaves = await leavesOf();
    if (leaves.length > 0) {
      try {
        await removeGroupDevices(ctx, entry.conversationId, leaves);
      } catch (err) {
        // Another device of this account may have removed them first (its commit won the epoch).
        if ((await leavesOf()).length > 0) {
          ctx.events.emit('warning', {
            conversationId: entry.conversationId,
            message: `The devices of ${entry.username}, who deleted their account, could not be removed from this conversation: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      }
    }
  }
  ctx.events.emit('accountDeleted', {
    conversationId: entry.conversationId,
    userId: entry.userId,
    username: entry.username,
  });
}
