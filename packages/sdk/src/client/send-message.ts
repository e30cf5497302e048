import { groupMembers } from '@rchat/crypto';
import { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';
import type { ChatMessage } from './types.ts';

function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Queues a text: it is written to the sealed outbox first, then shown
 * (`sending`, or `queued` while the server cannot be reached), and the
 * outbox sends it in the background, in typing order — so this returns
 * without waiting for the network, and a reload, a closed tab or a crash
 * loses nothing (the next start sends it). Listeners then see it `sent`
 * (with its sequence) or `failed` (refused for good; `retry` queues it
 * again). Refused at once (nothing queued) while this device knows the
 * peer's identity changed unaccepted (IDENTITY_CHANGED), or with
 * OUTBOX_FULL; the full identity check runs again when it is encrypted.
 */
export function sendText(
  ctx: ClientContext,
  conversationId: string,
  text: string,
): Promise<ChatMessage> {
  return ctx.outbox.inOrder(() => queueText(ctx, conversationId, text));
}

async function queueText(
  ctx: ClientContext,
  conversationId: string,
  text: string,
): Promise<ChatMessage> {
  await refuseIfKnownIdentityChange(ctx, conversationId);
  const message: ChatMessage = {
    id: null,
    conversationId,
    seq: 0,
    senderUserId: ctx.userId,
    senderDeviceId: ctx.deviceId,
    own: true,
    sentAt: await ctx.outbox.nextSentAt(),
    createdAt: null,
    clientMsgId: newClientMsgId(),
    status: 'sending',
    content: { kind: 'text', text },
  };
  await ctx.outbox.add(message);
  const shown: ChatMessage = { ...message, status: ctx.drain.statusOf(message) };
  ctx.events.emit('message', shown);
  ctx.drain.kick();
  return shown;
}

/**
 * Queues a failed message again (same txnId; the same ciphertext while the epoch is the same) and
 * tries now.
 */
export async function retrySend(ctx: ClientContext, clientMsgId: string): Promise<ChatMessage> {
  const entry = await ctx.outbox.get(clientMsgId);
  if (!entry) throw new RchatError('NOT_FOUND', 'There is no unsent message with this id.', 0);
  const { failure: _failure, ...rest } = entry.message;
  const message: ChatMessage = { ...rest, status: 'sending' };
  await ctx.outbox.update({ ...entry, message });
  const shown: ChatMessage = { ...message, status: ctx.drain.statusOf(message) };
  ctx.events.emit('message', shown);
  ctx.drain.now();
  return shown;
}

/**
 * What this device already knows, without the network: a member of the
 * conversation whose identity key changed and the person has not accepted.
 */
async function refuseIfKnownIdentityChange(
  ctx: ClientContext,
  conversationId: string,
): Promise<void> {
  const group = await ctx.groups.get(conversationId);
  if (!group) return;
  for (const peer of new Set(groupMembers(group).map((m) => m.userId))) {
    if (peer !== ctx.userId && (await ctx.trust.pendingOf(peer))) throw identityChanged();
  }
}

export const identityChanged = () =>
  new RchatError(
    'IDENTITY_CHANGED',
    "This contact's encryption identity changed. Compare safety numbers and accept the new identity before sending.",
    0,
  );
