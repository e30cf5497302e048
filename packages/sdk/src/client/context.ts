import type { DeviceKeys, IdentityKeyPair, MlsClient } from '@rchat/crypto';
import type { Conversation } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import type { AccountStore } from './account-store.ts';
import type { Emitter, Mutex } from './emitter.ts';
import type { GroupStore } from './group-store.ts';
import type { MessageBackup } from './message-backup.ts';
import type { MessageStore } from './message-store.ts';
import type { Outbox } from './outbox.ts';
import type { OutboxDrain } from './outbox-drain.ts';
import type { DirectoryTrust } from './trust.ts';
import type { ChatConversation, SecurityAlert } from './types.ts';

/** Everything a signed-in device works with; the parts of the client share it. */
export interface ClientContext {
  api: RchatApi;
  account: AccountStore;
  identity: IdentityKeyPair;
  device: DeviceKeys;
  mls: MlsClient;
  groups: GroupStore;
  messages: MessageStore;
  /** Own messages not yet confirmed by the server, sealed at rest, in typing order. */
  outbox: Outbox;
  /** Sends the outbox in the background. */
  drain: OutboxDrain;
  /**
   * Writes decrypted plaintext to the account's message backup; null when this device has no backup
   * key (accounts from before backup existed).
   */
  backup: MessageBackup | null;
  trust: DirectoryTrust;
  events: Emitter;
  /** Every change to MLS state (send, commit, receive) runs through this queue. */
  lock: Mutex;
  userId: string;
  username: string;
  deviceId: string;
  /** How often this device refreshes its leaf keys in a conversation it sends to. */
  keyRotationIntervalMs: number;
}

export async function toChatConversation(
  ctx: ClientContext,
  c: Conversation,
): Promise<ChatConversation> {
  const peer = c.members.find((m) => m.userId !== ctx.userId) ??
    c.members[0] ?? { userId: ctx.userId, username: ctx.username };
  const group = await ctx.groups.get(c.id);
  const pending = await ctx.trust.pendingOf(peer.userId);
  return {
    id: c.id,
    peer: { userId: peer.userId, username: peer.username, deleted: peer.deleted ?? false },
    lastActivityAt: c.lastActivityAt,
    lastSeq: c.lastSeq,
    readSeq: c.readSeq,
    unreadCount: c.unreadCount,
    encryption: pending ? 'identity-changed' : group ? 'ready' : 'waiting-for-keys',
    identityChange: pending
      ? { userId: peer.userId, username: peer.username, resetAt: pending.resetAt }
      : null,
  };
}

/**
 * Tells the person about a security event: an `alert` to show loudly, and the same sentence as a
 * `warning`.
 */
export function raiseAlert(ctx: ClientContext, alert: SecurityAlert): void {
  ctx.events.emit('alert', alert);
  ctx.events.emit('warning', {
    ...(alert.conversationId ? { conversationId: alert.conversationId } : {}),
    message: alert.message,
  });
}
