import { groupMembers } from '@rchat/crypto';
import { raiseAlert, toChatConversation, type ClientContext } from './context.ts';
import { addMemberDevices, removeGroupDevices } from './conversation-keys.ts';
import type { PendingIdentity } from './trust.ts';
import type { SecurityAlert } from './types.ts';

export const ownIdentityResetAlert: SecurityAlert = {
  kind: 'account-identity-reset',
  message:
    "Someone reset your account's encryption identity. This device no longer holds your account's key and was signed out. If it was not you, someone knows your password: change it, and ask your contacts not to accept the new safety number.",
};

/**
 * A peer's identity key changed in the directory: every conversation with them is blocked, loudly,
 * until the person accepts.
 */
export async function peerIdentityChanged(
  ctx: ClientContext,
  userId: string,
  pending: PendingIdentity,
): Promise<void> {
  let conversations;
  try {
    conversations = (await ctx.api.conversations()).filter((c) =>
      c.members.some((m) => m.userId === userId),
    );
  } catch {
    raiseAlert(ctx, {
      kind: 'peer-identity-changed',
      userId,
      message: identityChangedSentence('A contact', pending),
    });
    return;
  }
  for (const c of conversations) {
    const name = c.members.find((m) => m.userId === userId)?.username ?? 'A contact';
    raiseAlert(ctx, {
      kind: 'peer-identity-changed',
      conversationId: c.id,
      userId,
      message: identityChangedSentence(name, pending),
    });
    ctx.events.emit('conversation', await toChatConversation(ctx, c));
  }
}

function identityChangedSentence(name: string, pending: PendingIdentity): string {
  const when = pending.resetAt ? ` (reset on ${pending.resetAt.slice(0, 10)})` : '';
  return `${name}'s encryption identity changed${when}. This happens when they lose all their devices — or when someone is intercepting. Sending is blocked until you compare safety numbers and accept the new identity.`;
}

/**
 * Checks the directory at start: this account's own identity key (a
 * mismatch means someone reset it) and each peer's (a change blocks their
 * conversations). Failures are left to the next check.
 */
export async function checkIdentities(ctx: ClientContext): Promise<void> {
  await ctx.trust.directory(ctx.userId, true);
  const peers = new Set<string>();
  for (const c of await ctx.api.conversations())
    for (const m of c.members) if (m.userId !== ctx.userId) peers.add(m.userId);
  for (const peer of peers) await ctx.trust.directory(peer, true);
}

/**
 * The person accepted the peer's new identity (after comparing safety
 * numbers, or knowing they reset): it becomes the pinned key, and in every
 * conversation with them this device removes their devices that the
 * directory no longer lists and adds the ones certified by the new identity.
 * Only this explicit step ever lets a reset identity into a conversation.
 */
export async function acceptIdentityChange(
  ctx: ClientContext,
  conversationId: string,
): Promise<void> {
  const conversation = await ctx.api.conversation(conversationId);
  const peer = conversation.members.find((m) => m.userId !== ctx.userId);
  if (!peer) return;
  await ctx.trust.directory(peer.userId, true);
  if (!(await ctx.trust.pendingOf(peer.userId))) return;
  await ctx.trust.accept(peer.userId);
  const directory = await ctx.trust.directory(peer.userId, true);
  const listed = new Set(directory.devices.map((d) => d.deviceId));
  for (const c of (await ctx.api.conversations()).filter((x) =>
    x.members.some((m) => m.userId === peer.userId),
  )) {
    await ctx.lock.run(async () => {
      const group = await ctx.groups.get(c.id);
      if (!group) return;
      const members = groupMembers(group);
      const stale = members
        .filter((m) => m.userId === peer.userId && !listed.has(m.deviceId))
        .map((m) => ({ userId: m.userId, deviceId: m.deviceId }));
      if (stale.length > 0) await removeGroupDevices(ctx, c.id, stale);
      const missing = [...listed].filter((d) => !members.some((m) => m.deviceId === d));
      if (missing.length > 0) await addMemberDevices(ctx, c.id, peer.userId, missing);
    });
    ctx.events.emit(
      'conversation',
      await toChatConversation(ctx, await ctx.api.conversation(c.id)),
    );
  }
}
