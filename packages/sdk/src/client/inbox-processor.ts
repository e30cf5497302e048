import {
  decodeEnvelope,
  fromBase64,
  groupMembers,
  joinGroup,
  receiveMessage,
  toBase64,
  type UndecryptableReason,
} from '@rchat/crypto';
import type { InboxEntry, Message } from '@rchat/protocol';
import { assertNever } from '@rchat/protocol';
import { raiseAlert, toChatConversation, type ClientContext } from './context.ts';
import { groupIdOf } from './group-store.ts';
import { addMemberDevices, applyPendingCommits } from './conversation-keys.ts';
import { membersOnly } from './membership.ts';
import { RchatError } from '../errors.ts';
import { replenishKeyPackages } from './device-setup.ts';
import { removeDeletedAccount } from './remove-deleted-account.ts';
import { confirmSent } from './send-queued.ts';
import type { ChatMessage, MessageContent } from './types.ts';

const reasons: Record<UndecryptableReason, string> = {
  malformed: 'The message is damaged and cannot be read.',
  'not-a-group-message': 'The message is not a conversation message.',
  'unknown-group': 'The message belongs to a conversation this device has no keys for.',
  'wrong-epoch':
    'The message was encrypted with keys this device does not have (sent before it joined, or with outdated keys).',
  tampered: 'The message was altered after it was sent and cannot be trusted.',
  'key-discarded': 'The key for this message was already used; it may be a repeated copy.',
};

/**
 * Applies one inbox entry to this device's state, in inbox order: joins from
 * Welcomes, applies commits, decrypts messages and stores their plaintext,
 * and tells listeners. Runs under the client lock; the caller saves the
 * cursor after it returns.
 */
export async function processEntry(ctx: ClientContext, entry: InboxEntry): Promise<void> {
  switch (entry.type) {
    case 'conversation':
    case 'read':
      await emitConversation(
        ctx,
        entry.type === 'read' ? entry.conversationId : entry.conversation.id,
      );
      return;
    case 'welcome':
      await processWelcome(ctx, entry);
      return;
    case 'commit': {
      const group = await ctx.groups.get(entry.commit.conversationId);
      if (!group || BigInt(entry.commit.epoch) < group.epoch) return; // before we joined, or our own (already confirmed)
      await applyPendingCommits(ctx, entry.commit.conversationId);
      return;
    }
    case 'message':
      await processMessage(ctx, entry.message);
      return;
    case 'join-request':
      await processJoinRequest(ctx, entry);
      return;
    case 'account-deleted':
      await removeDeletedAccount(ctx, entry);
      await emitConversation(ctx, entry.conversationId);
      return;
    default:
      assertNever(entry, 'inbox entry');
  }
}

/**
 * Another device of a member asks to be added (restored from a recovery
 * key, or a reset identity's device). This device adds it only if the user
 * is in the conversation's roster, their identity has not changed without
 * the person accepting it, the device is in the directory with a certificate
 * from the pinned identity key (the Authentication Service's check), and the
 * claimed KeyPackage names that very device. Of several devices answering,
 * the sequencer lets one commit win; the others see the device already added.
 */
async function processJoinRequest(
  ctx: ClientContext,
  entry: Extract<InboxEntry, { type: 'join-request' }>,
): Promise<void> {
  if (entry.deviceId === ctx.deviceId) return;
  const group = await ctx.groups.get(entry.conversationId);
  if (!group || groupMembers(group).some((m) => m.deviceId === entry.deviceId)) return;
  try {
    await addMemberDevices(ctx, entry.conversationId, entry.userId, [entry.deviceId]);
  } catch (err) {
    // A changed identity is already shown as a blocked conversation; a refused membership as an
    // alert.
    if (
      err instanceof RchatError &&
      (err.code === 'IDENTITY_CHANGED' || err.code === 'MEMBERSHIP_REFUSED')
    )
      return;
    ctx.events.emit('warning', {
      conversationId: entry.conversationId,
      message: `A new device could not be added to the conversation: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

async function processWelcome(
  ctx: ClientContext,
  entry: Extract<InboxEntry, { type: 'welcome' }>,
): Promise<void> {
  const existing = await ctx.groups.get(entry.conversationId);
  if (existing && existing.epoch >= BigInt(entry.epoch)) return;
  const outcome = await joinGroup(
    ctx.mls,
    fromBase64(entry.welcome) ?? new Uint8Array(),
    await ctx.account.keyPackages(),
  );
  if (outcome.kind !== 'ok') {
    ctx.events.emit('warning', {
      conversationId: entry.conversationId,
      message: `This device could not join the conversation's encryption: ${outcome.message}`,
    });
    return;
  }
  if (toBase64(outcome.group.groupId) !== toBase64(groupIdOf(entry.conversationId))) {
    raiseAlert(ctx, {
      kind: 'membership-refused',
      conversationId: entry.conversationId,
      message:
        "An invitation to another group was delivered as this conversation's; it was refused.",
    });
    return;
  }
  // Every leaf passed the Authentication Service (certified by its user's pinned identity); each
  // must also be a member.
  const devices = groupMembers(outcome.group);
  if (
    !(await membersOnly(
      ctx,
      entry.conversationId,
      devices,
      "An invitation to this conversation's encryption",
    ))
  )
    return;
  await ctx.groups.put(entry.conversationId, outcome.group);
  ctx.events.emit('devices', {
    conversationId: entry.conversationId,
    added: [{ userId: ctx.userId, deviceId: ctx.deviceId }],
    removed: [],
  });
  if (!outcome.usedKeyPackage.lastResort)
    await ctx.account.deleteKeyPackage(outcome.usedKeyPackage);
  await replenishKeyPackages(ctx.api, ctx.account, ctx.device).catch((err: unknown) =>
    ctx.events.emit('warning', {
      message: `Could not publish new KeyPackages: ${err instanceof Error ? err.message : String(err)}`,
    }),
  );
  await emitConversation(ctx, entry.conversationId);
}

async function processMessage(ctx: ClientContext, m: Message): Promise<void> {
  if (await ctx.messages.get(m.conversationId, m.seq)) return; // already processed (a replayed stream)
  if (m.senderDeviceId === ctx.deviceId) {
    // Our own send, confirmed by the server (its answer to the send may have been lost): MLS does
    // not let a sender decrypt its own message.
    const queued = await ctx.outbox.get(m.txnId);
    const base: ChatMessage = queued?.message ?? {
      id: null,
      conversationId: m.conversationId,
      seq: 0,
      senderUserId: m.senderUserId,
      senderDeviceId: m.senderDeviceId,
      own: true,
      sentAt: Date.parse(m.createdAt),
      createdAt: null,
      clientMsgId: m.txnId,
      status: 'sending',
      content: { kind: 'unavailable' },
    };
    await confirmSent(ctx, base, m);
    return;
  }
  const message = await decrypt(ctx, m);
  await ctx.messages.put(message);
  ctx.backup?.add(message);
  ctx.events.emit('message', message);
  await emitConversation(ctx, m.conversationId);
}

async function decrypt(ctx: ClientContext, m: Message): Promise<ChatMessage> {
  const base = {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    senderUserId: m.senderUserId,
    senderDeviceId: m.senderDeviceId,
    own: m.senderUserId === ctx.userId,
    createdAt: m.createdAt,
    status: 'sent' as const,
  };
  const fallback = (content: MessageContent): ChatMessage => ({
    ...base,
    sentAt: Date.parse(m.createdAt),
    clientMsgId: m.txnId,
    content,
  });
  const group = await ctx.groups.get(m.conversationId);
  if (!group) return fallback({ kind: 'unavailable' });
  const outcome = await receiveMessage(
    ctx.mls,
    group,
    fromBase64(m.ciphertext) ?? new Uint8Array(),
  );
  await ctx.groups.put(m.conversationId, outcome.group);
  switch (outcome.kind) {
    case 'application': {
      if (
        outcome.sender.userId !== m.senderUserId ||
        outcome.sender.deviceId !== m.senderDeviceId
      ) {
        return fallback({
          kind: 'undecryptable',
          reason: 'The message was sent by another device than the server claims; it was rejected.',
        });
      }
      const envelope = decodeEnvelope(outcome.plaintext);
      if (envelope.kind === 'text')
        return {
          ...base,
          sentAt: envelope.sentAt,
          clientMsgId: envelope.clientMsgId,
          content: { kind: 'text', text: envelope.body.text },
        };
      if (envelope.kind === 'unknown')
        return {
          ...base,
          sentAt: envelope.sentAt ?? Date.parse(m.createdAt),
          clientMsgId: envelope.clientMsgId ?? m.txnId,
          content: { kind: 'unknown', type: envelope.type },
        };
      return fallback({
        kind: 'undecryptable',
        reason: `The message content is damaged (${envelope.message}).`,
      });
    }
    case 'undecryptable':
      return fallback({ kind: 'undecryptable', reason: reasons[outcome.reason] });
    case 'replay':
      return fallback({
        kind: 'undecryptable',
        reason: 'This message repeats an earlier one and was rejected.',
      });
    case 'commit':
    case 'proposal':
    case 'refused':
    case 'invalid':
      return fallback({
        kind: 'undecryptable',
        reason: 'This is not a readable message (a key change arrived as a message).',
      });
    default:
      return assertNever(outcome, 'receive outcome');
  }
}

async function emitConversation(ctx: ClientContext, conversationId: string): Promise<void> {
  try {
    ctx.events.emit(
      'conversation',
      await toChatConversation(ctx, await ctx.api.conversation(conversationId)),
    );
  } catch {
    // The list is refreshed on the next event; a failed lookup must not stop message processing.
  }
}
