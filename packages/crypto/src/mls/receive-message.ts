import {
  decodeMlsMessage,
  emptyPskIndex,
  processPrivateMessage,
  processPublicMessage,
  zeroOutUint8Array,
  type ClientState,
  type PrivateMessage,
  type PublicMessage,
} from 'ts-mls';
import { assertNever } from '@rchat/protocol';
import type { CredentialProblem } from './authentication-service.ts';
import { loadCipherSuite } from './cipher-suites.ts';
import { clientConfigFor, rethrowLookupFailure } from './client-config.ts';
import { bytesEqual } from '../util/bytes.ts';
import { groupData, makeGroup, markSpent, type Group, type GroupData } from './group.ts';
import { memberAtLeaf, membersOfState, type GroupMember } from './group-view.ts';
import { lookupSender } from './incoming-sender.ts';
import type { MlsClient } from './mls-client.ts';
import { classifyMlsError } from './mls-errors.ts';
import { describeRefusals } from './pending-commit.ts';
import { messageDigest, remember } from './replay-guard.ts';

export type UndecryptableReason =
  | 'malformed'
  | 'not-a-group-message'
  | 'unknown-group'
  | 'wrong-epoch'
  | 'tampered'
  /**
   * The key for this message was already used or dropped (too old, or re-sent beyond the replay
   * window).
   */
  | 'key-discarded';

/**
 * What became of an incoming MLS message. Every variant carries the Group to
 * continue with: the new state on success, the unchanged one otherwise.
 */
export type ReceiveOutcome =
  | {
      kind: 'application';
      group: Group;
      plaintext: Uint8Array;
      sender: GroupMember;
      epoch: bigint;
      authenticatedData: Uint8Array;
    }
  | {
      kind: 'commit';
      group: Group;
      epoch: bigint;
      committer: GroupMember | undefined;
      added: GroupMember[];
      removed: GroupMember[];
      removedSelf: boolean;
    }
  | { kind: 'proposal'; group: Group; sender: GroupMember | undefined }
  | { kind: 'undecryptable'; group: Group; reason: UndecryptableReason; message: string }
  /** This exact ciphertext was already accepted. */
  | { kind: 'replay'; group: Group; message: string }
  /**
   * A commit or proposal carries a credential the Authentication Service refused; it was not
   * applied.
   */
  | { kind: 'refused'; group: Group; problems: CredentialProblem[]; message: string }
  /** A commit or proposal that fails MLS validation; it was not applied. */
  | { kind: 'invalid'; group: Group; message: string };

/** Decrypts an application message or applies a commit or proposal sent to the group. */
export async function receiveMessage(
  client: MlsClient,
  group: Group,
  bytes: Uint8Array,
): Promise<ReceiveOutcome> {
  const data = groupData(group);
  const undecryptable = (reason: UndecryptableReason, message: string): ReceiveOutcome => ({
    kind: 'undecryptable',
    group,
    reason,
    message,
  });
  const decoded = decodeMlsMessage(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length)
    return undecryptable('malformed', 'Not an encoded MLS message.');
  const msg = decoded[0];
  switch (msg.wireformat) {
    case 'mls_private_message':
      return receivePrivate(client, group, data, msg.privateMessage);
    case 'mls_public_message':
      return receivePublic(client, group, data, msg.publicMessage);
    case 'mls_welcome':
    case 'mls_group_info':
    case 'mls_key_package':
      return undecryptable(
        'not-a-group-message',
        `A ${msg.wireformat} is not processed by receiveMessage.`,
      );
    default:
      return assertNever(msg, 'wire format');
  }
}

async function receivePrivate(
  client: MlsClient,
  group: Group,
  data: GroupData,
  pm: PrivateMessage,
): Promise<ReceiveOutcome> {
  const state = data.state;
  if (!bytesEqual(pm.groupId, state.groupContext.groupId))
    return {
      kind: 'undecryptable',
      group,
      reason: 'unknown-group',
      message: 'The message is for another group.',
    };
  const digest = messageDigest(pm);
  if (data.seen.includes(digest))
    return {
      kind: 'replay',
      group,
      message: 'This message was already received; the copy is ignored.',
    };
  const impl = await loadCipherSuite(data.cipherSuite);
  const found = await lookupSender(state, pm, impl);
  if (found.kind !== 'ok')
    return { kind: 'undecryptable', group, reason: found.kind, message: found.message };
  const { config, refusals } = clientConfigFor(client, data.cipherSuite);
  let result;
  try {
    result = await processPrivateMessage(
      { ...state, clientConfig: config },
      pm,
      emptyPskIndex,
      impl,
    );
  } catch (e) {
    rethrowLookupFailure(refusals);
    return failure(group, e, refusals.problems, pm.contentType === 'application');
  }
  const next = adopt(group, data, result.newState, result.consumed, digest);
  if (result.kind === 'applicationMessage') {
    return {
      kind: 'application',
      group: next,
      plaintext: result.message,
      sender: found.sender,
      epoch: pm.epoch,
      authenticatedData: pm.authenticatedData,
    };
  }
  return handshakeOutcome(state, result.newState, next, found.sender, pm.contentType === 'commit');
}

async function receivePublic(
  client: MlsClient,
  group: Group,
  data: GroupData,
  pm: PublicMessage,
): Promise<ReceiveOutcome> {
  const state = data.state;
  const content = pm.content;
  if (!bytesEqual(content.groupId, state.groupContext.groupId))
    return {
      kind: 'undecryptable',
      group,
      reason: 'unknown-group',
      message: 'The message is for another group.',
    };
  if (content.epoch !== state.groupContext.epoch) {
    return {
      kind: 'undecryptable',
      group,
      reason: 'wrong-epoch',
      message: `The message is for epoch ${content.epoch}; this device is at epoch ${state.groupContext.epoch}.`,
    };
  }
  if (content.contentType === 'application')
    return { kind: 'invalid', group, message: 'Application data must be encrypted.' };
  const impl = await loadCipherSuite(data.cipherSuite);
  const { config, refusals } = clientConfigFor(client, data.cipherSuite);
  let result;
  try {
    result = await processPublicMessage(
      { ...state, clientConfig: config },
      pm,
      emptyPskIndex,
      impl,
    );
  } catch (e) {
    rethrowLookupFailure(refusals);
    return failure(group, e, refusals.problems, false);
  }
  const next = adopt(group, data, result.newState, result.consumed, undefined);
  const sender =
    content.sender.senderType === 'member'
      ? memberAtLeaf(state, content.sender.leafIndex)
      : undefined;
  return handshakeOutcome(state, result.newState, next, sender, content.contentType === 'commit');
}

function adopt(
  group: Group,
  data: GroupData,
  state: ClientState,
  consumed: Uint8Array[],
  digest: string | undefined,
): Group {
  markSpent(group);
  consumed.forEach(zeroOutUint8Array);
  return makeGroup({
    ...data,
    state,
    seen: digest === undefined ? data.seen : remember(data.seen, digest),
  });
}

function handshakeOutcome(
  before: ClientState,
  after: ClientState,
  next: Group,
  sender: GroupMember | undefined,
  isCommit: boolean,
): ReceiveOutcome {
  if (!isCommit) return { kind: 'proposal', group: next, sender };
  const key = (m: GroupMember) => `${m.leafIndex}:${m.userId}:${m.deviceId}`;
  const old = membersOfState(before);
  const now = membersOfState(after);
  const oldKeys = new Set(old.map(key));
  const nowKeys = new Set(now.map(key));
  return {
    kind: 'commit',
    group: next,
    epoch: after.groupContext.epoch,
    committer: sender,
    added: now.filter((m) => !oldKeys.has(key(m))),
    removed: old.filter((m) => !nowKeys.has(key(m))),
    removedSelf: after.groupActiveState.kind === 'removedFromGroup',
  };
}

function failure(
  group: Group,
  e: unknown,
  problems: CredentialProblem[],
  application: boolean,
): ReceiveOutcome {
  if (problems.length > 0)
    return { kind: 'refused', group, problems, message: describeRefusals(problems) };
  const { kind, message } = classifyMlsError(e);
  if (message === 'Desired gen in the past') {
    return {
      kind: 'undecryptable',
      group,
      reason: 'key-discarded',
      message:
        'The key for this message was already used or discarded (a re-sent or very old message).',
    };
  }
  if (kind === 'malformed') return { kind: 'undecryptable', group, reason: 'malformed', message };
  if (kind === 'crypto' || application)
    return {
      kind: 'undecryptable',
      group,
      reason: 'tampered',
      message: `The message failed authentication: ${message}`,
    };
  return { kind: 'invalid', group, message };
}
