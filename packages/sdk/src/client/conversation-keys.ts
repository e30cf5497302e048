import {
  addMembers,
  confirmCommit,
  createGroup,
  fromBase64,
  groupMembers,
  receiveMessage,
  removeDevices,
  selfUpdate,
  toBase64,
  type CommitOutcome,
  type Group,
  type PendingCommit,
} from '@rchat/crypto';
import type { Conversation } from '@rchat/protocol';
import { RchatError } from '../errors.ts';
import { raiseAlert, type ClientContext } from './context.ts';
import { groupIdOf } from './group-store.ts';
import { keepGenuine, membersOnly, rosterOf, type Candidate } from './membership.ts';

type DeviceRef = { userId: string; deviceId: string };
const ref = (m: DeviceRef): DeviceRef => ({ userId: m.userId, deviceId: m.deviceId });

/**
 * Makes this device the creator of the conversation's MLS group: creates it,
 * adds every other device of every member (claimed KeyPackages; a package
 * whose certificate names another user or device than it was offered for,
 * and devices whose credentials the Authentication Service refuses, are left
 * out, with an alert saying why), and submits the commit at epoch 0. Returns undefined when
 * another device initialised the group first (its Welcome will arrive).
 * Runs under the client lock.
 */
export async function initializeGroup(
  ctx: ClientContext,
  conversation: Conversation,
): Promise<Group | undefined> {
  const existing = await ctx.groups.get(conversation.id);
  if (existing || conversation.epoch !== 0) return existing;
  await rosterOf(ctx, conversation.id);
  let candidates: Candidate[] = [];
  for (const member of conversation.members) {
    const claim = await ctx.api.claimKeyPackages(
      member.userId,
      member.userId === ctx.userId ? [ctx.deviceId] : undefined,
    );
    candidates.push(
      ...claim.keyPackages.map((k) => ({
        userId: member.userId,
        deviceId: k.deviceId,
        keyPackage: k.keyPackage,
      })),
    );
  }
  candidates = keepGenuine(
    ctx,
    conversation.id,
    candidates.filter((c) => c.deviceId !== ctx.deviceId),
  );
  const peers = conversation.members.filter((m) => m.userId !== ctx.userId);
  if (peers.length > 0 && !candidates.some((c) => peers.some((p) => p.userId === c.userId))) {
    throw new RchatError(
      'PEER_HAS_NO_KEYS',
      `${peers.map((p) => p.username).join(', ')} has no device that can receive encrypted messages yet.`,
      0,
    );
  }
  const group = await createGroup(ctx.mls, ctx.device, { groupId: groupIdOf(conversation.id) });
  const added = await addAllowed(ctx, conversation.id, group, candidates);
  if (!added) {
    await ctx.groups.put(conversation.id, group);
    return group;
  }
  const accepted = await submit(ctx, conversation.id, group, added.pending, added.recipients);
  if (accepted !== true) return undefined;
  const next = confirmCommit(added.pending);
  await ctx.groups.put(conversation.id, next);
  ctx.events.emit('devices', {
    conversationId: conversation.id,
    added: added.recipients.map(ref),
    removed: [],
  });
  return next;
}

/** addMembers, leaving out devices the Authentication Service refuses (each reported once). */
async function addAllowed(
  ctx: ClientContext,
  conversationId: string,
  group: Group,
  candidates: Candidate[],
): Promise<{ pending: PendingCommit; recipients: Candidate[] } | undefined> {
  let remaining = candidates;
  while (remaining.length > 0) {
    const outcome = await addMembers(
      ctx.mls,
      group,
      remaining.map((c) => fromBase64(c.keyPackage) ?? new Uint8Array()),
    );
    if (outcome.kind === 'ok') return { pending: outcome.pending, recipients: remaining };
    if (outcome.kind === 'invalid') throw new Error(`Adding devices failed: ${outcome.message}`);
    const refusedIds = new Set(
      outcome.problems.map((p) => p.deviceId).filter((d): d is string => d !== undefined),
    );
    for (const p of outcome.problems)
      raiseAlert(ctx, {
        kind: 'device-refused',
        conversationId,
        ...(p.userId ? { userId: p.userId } : {}),
        message: `A device was not added: ${p.message}`,
      });
    const next = remaining.filter((c) => !refusedIds.has(c.deviceId));
    if (next.length === remaining.length)
      throw new Error(`Adding devices failed: ${outcome.message}`);
    remaining = next;
  }
  return undefined;
}

/** Submits a commit made on `group`; false when another commit won the epoch. */
async function submit(
  ctx: ClientContext,
  conversationId: string,
  group: Group,
  pending: PendingCommit,
  recipients: Candidate[],
): Promise<true | RchatError> {
  try {
    await ctx.api.submitCommit(conversationId, {
      epoch: Number(group.epoch),
      commit: toBase64(pending.commit),
      ...(pending.welcome && recipients.length > 0
        ? {
            welcome: {
              message: toBase64(pending.welcome),
              recipients: recipients.map((r) => ({ userId: r.userId, deviceId: r.deviceId })),
            },
          }
        : {}),
    });
    return true;
  } catch (e) {
    if (e instanceof RchatError && e.code === 'EPOCH_CONFLICT') return e;
    throw e;
  }
}

/**
 * Adds devices of an existing member to the group (a member's new device),
 * from KeyPackages claimed for exactly those devices, with a Welcome for them.
 * Refused for a user outside the conversation's roster, and while the user's
 * identity changed without the person accepting it; a package is used only
 * if its certificate names that user and one of those devices (and the
 * Authentication Service then checks it chains to the pinned identity key).
 * Runs under the lock. Returns false when none of them has a KeyPackage.
 */
export async function addMemberDevices(
  ctx: ClientContext,
  conversationId: string,
  userId: string,
  deviceIds: string[],
): Promise<boolean> {
  if (!(await rosterOf(ctx, conversationId)).has(userId)) {
    raiseAlert(ctx, {
      kind: 'membership-refused',
      conversationId,
      userId,
      message: `A request to add devices of user ${userId} was refused: that user is not a member of this conversation.`,
    });
    throw new RchatError(
      'MEMBERSHIP_REFUSED',
      'That user is not a member of this conversation; their devices are not added.',
      0,
    );
  }
  const directory = await ctx.trust.directory(userId, true);
  if (await ctx.trust.pendingOf(userId)) {
    throw new RchatError(
      'IDENTITY_CHANGED',
      "This user's encryption identity changed and has not been accepted; their devices are not added until it is.",
      0,
    );
  }
  const except = directory.devices.map((d) => d.deviceId).filter((d) => !deviceIds.includes(d));
  const claim = await ctx.api.claimKeyPackages(userId, except);
  const claimed = keepGenuine(
    ctx,
    conversationId,
    claim.keyPackages.map((k) => ({ userId, deviceId: k.deviceId, keyPackage: k.keyPackage })),
  ).filter((c) => deviceIds.includes(c.deviceId));
  for (let attempt = 1; ; attempt++) {
    const group = await ctx.groups.get(conversationId);
    if (!group)
      throw new RchatError('E2EE_NOT_READY', 'This device has not joined the conversation yet.', 0);
    // Another device may have added them meanwhile (its commit won the epoch).
    const members = new Set(groupMembers(group).map((m) => m.deviceId));
    const candidates = claimed.filter((c) => !members.has(c.deviceId));
    if (candidates.length === 0) return false;
    const added = await addAllowed(ctx, conversationId, group, candidates);
    if (!added) return false;
    const submitted = await submit(ctx, conversationId, group, added.pending, added.recipients);
    if (submitted === true) {
      await ctx.groups.put(conversationId, confirmCommit(added.pending));
      ctx.events.emit('devices', { conversationId, added: added.recipients.map(ref), removed: [] });
      return true;
    }
    await applyPendingCommits(ctx, conversationId);
    // Lost the epoch five times in a row: the server's last EPOCH_CONFLICT says so (callers retry
    // later).
    if (attempt === 5) throw submitted;
  }
}

/**
 * Applies, in order, the commits the server sequenced since this device's
 * epoch (after EPOCH_CONFLICT, or when the stream shows a gap). Runs under the lock.
 */
export async function applyPendingCommits(
  ctx: ClientContext,
  conversationId: string,
): Promise<Group | undefined> {
  let group = await ctx.groups.get(conversationId);
  if (!group) return undefined;
  const { commits } = await ctx.api.commits(conversationId, Number(group.epoch));
  for (const c of commits) {
    if (BigInt(c.epoch) !== group.epoch) continue;
    const outcome = await receiveMessage(ctx.mls, group, fromBase64(c.commit) ?? new Uint8Array());
    if (outcome.kind !== 'commit') {
      ctx.events.emit('warning', {
        conversationId,
        message: `A key change in this conversation could not be applied (${outcome.kind}).`,
      });
      break;
    }
    if (outcome.removedSelf) {
      await ctx.groups.delete(conversationId);
      ctx.events.emit('warning', {
        conversationId,
        message:
          'This device was removed from the conversation; it can no longer read new messages there.',
      });
      return undefined;
    }
    if (
      !(await membersOnly(ctx, conversationId, outcome.added, 'A key change in this conversation'))
    )
      break;
    group = outcome.group;
    if (outcome.added.length > 0 || outcome.removed.length > 0) {
      ctx.events.emit('devices', {
        conversationId,
        added: outcome.added.map(ref),
        removed: outcome.removed.map(ref),
      });
    }
    await ctx.groups.put(conversationId, group);
  }
  return group;
}

/**
 * Self-update (fresh leaf keys, for post-compromise security). All members
 * end in the same epoch. Runs under the lock.
 */
export function rotateGroupKeys(ctx: ClientContext, conversationId: string): Promise<bigint> {
  return commitWithRetry(ctx, conversationId, (group) => selfUpdate(ctx.mls, group));
}

/**
 * Removes devices from the conversation's group (a removed device cannot read what follows). Runs
 * under the lock.
 */
export async function removeGroupDevices(
  ctx: ClientContext,
  conversationId: string,
  devices: DeviceRef[],
): Promise<bigint> {
  const epoch = await commitWithRetry(ctx, conversationId, (group) =>
    removeDevices(ctx.mls, group, devices),
  );
  ctx.events.emit('devices', { conversationId, added: [], removed: devices.map(ref) });
  return epoch;
}

/**
 * Makes a commit on the current group and submits it; on EPOCH_CONFLICT it
 * applies the winning commits and makes the change again, so the group never forks.
 */
async function commitWithRetry(
  ctx: ClientContext,
  conversationId: string,
  make: (group: Group) => Promise<CommitOutcome>,
): Promise<bigint> {
  for (let attempt = 1; ; attempt++) {
    const group = await ctx.groups.get(conversationId);
    if (!group)
      throw new RchatError('E2EE_NOT_READY', 'This device has not joined the conversation yet.', 0);
    const outcome = await make(group);
    if (outcome.kind !== 'ok') throw new Error(`The key change failed: ${outcome.message}`);
    const submitted = await submit(ctx, conversationId, group, outcome.pending, []);
    if (submitted === true) {
      const next = confirmCommit(outcome.pending);
      await ctx.groups.put(conversationId, next);
      return next.epoch;
    }
    await applyPendingCommits(ctx, conversationId);
    // Lost the epoch five times in a row: the server's last EPOCH_CONFLICT says so (callers retry
    // later).
    if (attempt === 5) throw submitted;
  }
}
