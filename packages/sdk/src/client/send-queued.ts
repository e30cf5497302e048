import {
  encodeEnvelope,
  encryptMessage,
  groupMembers,
  textEnvelope,
  toBase64,
  type Group,
} from '@rchat/crypto';
import type { Message } from '@rchat/protocol';
import { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';
import { initializeGroup, rotateGroupKeys } from './conversation-keys.ts';
import type { OutboxEntry } from './outbox.ts';
import { identityChanged } from './send-message.ts';
import type { ChatMessage } from './types.ts';

/**
 * How often a device refreshes its own leaf keys in a conversation it sends to (post-compromise
 * security).
 */
export const KEY_ROTATION_INTERVAL_MS = 7 * 86_400_000;

/**
 * How long one send may wait for the server's answer before it counts as a network failure (and is
 * sent again later).
 */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * What one attempt to send an outbox message came to: `sent`; `failed` (the
 * server or this device refused it for good; it stays in the outbox, failed,
 * for `retry`); `waiting` (try again later: the network, the server, or this
 * conversation's keys are not ready); `landed` (the server already holds it
 * under its txnId: the inbox confirms it); `gone` (nothing to send).
 */
export type SendAttempt =
  | { kind: 'sent'; message: ChatMessage }
  | { kind: 'failed'; message: ChatMessage }
  | { kind: 'waiting'; error: RchatError; scope: WaitScope }
  | { kind: 'landed' }
  | { kind: 'gone' };

/**
 * What a `waiting` attempt waits for: the network (every conversation), this conversation (its
 * keys), or a new sign-in.
 */
export type WaitScope = 'network' | 'conversation' | 'session';

const sessionEnded = new Set<string>([
  'UNAUTHENTICATED',
  'INVALID_REFRESH_TOKEN',
  'REFRESH_TOKEN_REUSED',
  'DEVICE_REVOKED',
  'IDENTITY_RESET',
]);

/**
 * Whether a failed attempt may succeed later by itself, and what it waits for; null for a refusal
 * that stands.
 */
export function waitScopeOf(e: unknown): WaitScope | null {
  if (!(e instanceof RchatError)) return null;
  if (
    e.code === 'NETWORK' ||
    e.code === 'UNAVAILABLE' ||
    e.code === 'RATE_LIMITED' ||
    e.status >= 500
  )
    return 'network';
  if (e.code === 'E2EE_NOT_READY' || e.code === 'EPOCH_CONFLICT') return 'conversation';
  if (sessionEnded.has(e.code)) return 'session';
  return null;
}

/**
 * One attempt to send the outbox message `clientMsgId`; runs under the
 * client lock. The ciphertext of an attempt is written to the outbox before
 * it is posted (after the group state that produced it, so no key is ever
 * used twice): a resend in the same epoch posts the same bytes under the
 * same txnId, and the server answers with the message it already holds. When
 * the group moved on (another epoch), the same plaintext is encrypted again
 * under the same txnId — after the identity check, as every encryption; if
 * the first bytes had landed after all, the server says TXN_ID_REUSED and
 * the inbox confirms that message.
 */
export async function sendQueued(ctx: ClientContext, clientMsgId: string): Promise<SendAttempt> {
  let entry = await ctx.outbox.get(clientMsgId);
  if (!entry || entry.message.status === 'failed' || entry.landed) return { kind: 'gone' };
  const { conversationId } = entry.message;
  try {
    const group = await groupToSendIn(ctx, conversationId);
    let attempt = entry.attempt;
    if (!attempt || attempt.epoch !== Number(group.epoch)) {
      attempt = await encrypt(ctx, await rotateIfDue(ctx, conversationId, group), entry.message);
      entry = { ...entry, attempt };
      await ctx.outbox.update(entry);
    }
    const { ciphertext, epoch } = attempt;
    const stored = await ctx.api.sendMessage(
      conversationId,
      { txnId: clientMsgId, ciphertext, epoch },
      { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
    );
    return { kind: 'sent', message: await confirmSent(ctx, entry.message, stored) };
  } catch (e) {
    if (e instanceof RchatError && e.code === 'TXN_ID_REUSED') {
      await ctx.outbox.update({ ...entry, landed: true });
      return { kind: 'landed' };
    }
    const scope = waitScopeOf(e);
    if (scope && e instanceof RchatError) return { kind: 'waiting', error: e, scope };
    const failed: ChatMessage = { ...entry.message, status: 'failed', failure: failureOf(e) };
    await ctx.outbox.update({ ...entry, message: failed });
    ctx.events.emit('message', failed);
    return { kind: 'failed', message: failed };
  }
}

/**
 * Stores the confirmed message as history (and in the backup) and takes it out of the outbox. Runs
 * under the lock.
 */
export async function confirmSent(
  ctx: ClientContext,
  message: ChatMessage,
  stored: Message,
): Promise<ChatMessage> {
  const { failure: _failure, ...rest } = message;
  const sent: ChatMessage = {
    ...rest,
    id: stored.id,
    seq: stored.seq,
    createdAt: stored.createdAt,
    status: 'sent',
  };
  await ctx.messages.put(sent);
  ctx.backup?.add(sent);
  await ctx.outbox.remove(message.clientMsgId);
  ctx.events.emit('message', sent);
  return sent;
}

function failureOf(e: unknown): NonNullable<ChatMessage['failure']> {
  if (e instanceof RchatError)
    return {
      code: e.code,
      message: e.message,
      ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
    };
  return {
    code: 'INTERNAL',
    message: `The message could not be sent: ${e instanceof Error ? e.message : String(e)}`,
  };
}

/**
 * The conversation's group on this device, set up first when this device starts the conversation's
 * encryption.
 */
async function groupToSendIn(ctx: ClientContext, conversationId: string): Promise<Group> {
  const group =
    (await ctx.groups.get(conversationId)) ??
    (await initializeGroup(ctx, await ctx.api.conversation(conversationId)));
  if (!group)
    throw new RchatError(
      'E2EE_NOT_READY',
      'This device is still waiting for the conversation keys; the message is sent once they arrive.',
      0,
    );
  return group;
}

async function encrypt(
  ctx: ClientContext,
  group: Group,
  message: ChatMessage,
): Promise<NonNullable<OutboxEntry['attempt']>> {
  await refuseIfIdentityChanged(ctx, group);
  const text = message.content.kind === 'text' ? message.content.text : '';
  const encrypted = await encryptMessage(
    ctx.mls,
    group,
    encodeEnvelope(textEnvelope(text, message.clientMsgId, message.sentAt)),
  );
  await ctx.groups.put(message.conversationId, encrypted.group);
  return { ciphertext: toBase64(encrypted.message), epoch: Number(group.epoch) };
}

/**
 * Fresh leaf keys first when this device last refreshed them longer ago than the interval (the
 * first send starts the clock).
 */
async function rotateIfDue(
  ctx: ClientContext,
  conversationId: string,
  group: Group,
): Promise<Group> {
  const key = `rotated/${conversationId}`;
  const last = await ctx.account.sealed.getJson<{ at: number }>(key);
  const now = Date.now();
  if (last && now - last.at < ctx.keyRotationIntervalMs) return group;
  await ctx.account.sealed.putJson(key, { at: now });
  if (!last) return group;
  await rotateGroupKeys(ctx, conversationId);
  return (await ctx.groups.get(conversationId)) ?? group;
}

/**
 * Sending is blocked while a member's identity key in the directory differs
 * from the one this device pinned and the person has not accepted it: the
 * change may be an attacker's, and their devices are not in the group anyway.
 * The directory is re-read at most every 30 seconds per member.
 */
async function refuseIfIdentityChanged(ctx: ClientContext, group: Group): Promise<void> {
  const peers = new Set(
    groupMembers(group)
      .map((m) => m.userId)
      .filter((u) => u !== ctx.userId),
  );
  for (const peer of peers) {
    await ctx.trust.directory(peer).catch(() => undefined);
    if (await ctx.trust.pendingOf(peer)) throw identityChanged();
  }
}
