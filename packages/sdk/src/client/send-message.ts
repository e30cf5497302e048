import { encodeEnvelope, encryptMessage, groupMembers, textEnvelope, toBase64, type Group } from '@rchat/crypto';
import { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';
import { initializeGroup, rotateGroupKeys } from './conversation-keys.ts';
import type { PendingSend } from './message-store.ts';
import type { ChatMessage } from './types.ts';

/** How often a device refreshes its own leaf keys in a conversation it sends to (post-compromise security). */
export const KEY_ROTATION_INTERVAL_MS = 7 * 86_400_000;

/** True when this device last refreshed its keys in the conversation longer ago than the interval (first call starts the clock). */
async function rotationDue(ctx: ClientContext, conversationId: string): Promise<boolean> {
  const key = `rotated/${conversationId}`;
  const last = await ctx.account.sealed.getJson<{ at: number }>(key);
  const now = Date.now();
  if (last && now - last.at < ctx.keyRotationIntervalMs) return false;
  await ctx.account.sealed.putJson(key, { at: now });
  return last !== undefined;
}

function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Encrypts and sends a text. Listeners see the message at once as `sending`,
 * then `sent` (with its sequence) or `failed`. The ciphertext is kept until
 * the server confirms it, so `retry` resends the same bytes under the same
 * txnId: a send that did land is not stored twice.
 */
export async function sendText(ctx: ClientContext, conversationId: string, text: string): Promise<ChatMessage> {
  const clientMsgId = newClientMsgId();
  const sentAt = Date.now();
  const message: ChatMessage = {
    id: null,
    conversationId,
    seq: 0,
    senderUserId: ctx.userId,
    senderDeviceId: ctx.deviceId,
    own: true,
    sentAt,
    createdAt: null,
    clientMsgId,
    status: 'sending',
    content: { kind: 'text', text },
  };
  ctx.events.emit('message', message);
  return ctx.lock.run(async () => {
    let pending: PendingSend;
    try {
      let group = (await ctx.groups.get(conversationId)) ?? (await initializeGroup(ctx, await ctx.api.conversation(conversationId)));
      if (group && (await rotationDue(ctx, conversationId))) {
        await rotateGroupKeys(ctx, conversationId);
        group = await ctx.groups.get(conversationId);
      }
      if (!group) throw new RchatError('E2EE_NOT_READY', 'This device is still waiting for the conversation keys; try again in a moment.', 0);
      await refuseIfIdentityChanged(ctx, group);
      const encrypted = await encryptMessage(ctx.mls, group, encodeEnvelope(textEnvelope(text, clientMsgId, sentAt)));
      await ctx.groups.put(conversationId, encrypted.group);
      pending = { message, ciphertext: toBase64(encrypted.message), epoch: Number(group.epoch) };
      await ctx.messages.putPending(pending);
    } catch (e) {
      ctx.events.emit('message', { ...message, status: 'failed' });
      throw e;
    }
    return deliver(ctx, pending);
  });
}

/**
 * Sending is blocked while a member's identity key in the directory differs
 * from the one this device pinned and the person has not accepted it: the
 * change may be an attacker's, and their devices are not in the group anyway.
 * The directory is re-read at most every 30 seconds per member.
 */
async function refuseIfIdentityChanged(ctx: ClientContext, group: Group): Promise<void> {
  const peers = new Set(groupMembers(group).map((m) => m.userId).filter((u) => u !== ctx.userId));
  for (const peer of peers) {
    await ctx.trust.directory(peer).catch(() => undefined);
    if (await ctx.trust.pendingOf(peer)) {
      throw new RchatError('IDENTITY_CHANGED', 'This contact\'s encryption identity changed. Compare safety numbers and accept the new identity before sending.', 0);
    }
  }
}

/** Sends a failed message again (same ciphertext, same txnId). */
export async function retrySend(ctx: ClientContext, clientMsgId: string): Promise<ChatMessage> {
  const pending = await ctx.messages.pending(clientMsgId);
  if (!pending) throw new RchatError('NOT_FOUND', 'There is no unsent message with this id.', 0);
  ctx.events.emit('message', { ...pending.message, status: 'sending' });
  return ctx.lock.run(() => deliver(ctx, pending));
}

async function deliver(ctx: ClientContext, pending: PendingSend): Promise<ChatMessage> {
  try {
    const stored = await ctx.api.sendMessage(pending.message.conversationId, { txnId: pending.message.clientMsgId, ciphertext: pending.ciphertext, epoch: pending.epoch });
    const { failure: _failure, ...rest } = pending.message;
    const sent: ChatMessage = { ...rest, id: stored.id, seq: stored.seq, createdAt: stored.createdAt, status: 'sent' };
    await ctx.messages.put(sent);
    ctx.backup?.add(sent);
    await ctx.messages.deletePending(pending.message.clientMsgId);
    ctx.events.emit('message', sent);
    return sent;
  } catch (e) {
    const failed: ChatMessage = {
      ...pending.message,
      status: 'failed',
      failure: e instanceof RchatError ? { code: e.code, message: e.message, ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}) } : { code: 'NETWORK', message: 'The message could not be sent.' },
    };
    await ctx.messages.putPending({ ...pending, message: failed });
    ctx.events.emit('message', failed);
    return failed;
  }
}
