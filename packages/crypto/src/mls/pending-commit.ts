import { zeroOutUint8Array, type CreateCommitResult } from 'ts-mls';
import { encodeMlsMessage } from 'ts-mls';
import type { CredentialProblem } from './authentication-service.ts';
import { makeGroup, markSpent, type Group, type GroupData } from './group.ts';

/**
 * A commit this device made but the server has not yet sequenced. Send
 * `commit` (and `welcome`); when the server accepts it, call confirmCommit.
 * When another commit won the epoch, drop this object, process the winner on
 * the current Group and make the change again.
 */
export interface PendingCommit {
  /** MLSMessage carrying the Commit, for every current member. */
  readonly commit: Uint8Array;
  /** MLSMessage carrying the Welcome, for added devices (absent when nobody is added). */
  readonly welcome?: Uint8Array;
  /** The epoch the group enters once the commit is accepted. */
  readonly epoch: bigint;
}

export type CommitOutcome =
  | { kind: 'ok'; pending: PendingCommit }
  /** The Authentication Service refused at least one credential; nothing was committed. */
  | { kind: 'refused'; problems: CredentialProblem[]; message: string }
  | { kind: 'invalid'; message: string };

interface PendingInternals {
  readonly base: Group;
  readonly next: Group;
  readonly consumed: Uint8Array[];
  confirmed: boolean;
}

const internals = new WeakMap<PendingCommit, PendingInternals>();

export function makePendingCommit(
  base: Group,
  result: CreateCommitResult,
  data: Omit<GroupData, 'state'>,
): PendingCommit {
  const next = makeGroup({ ...data, state: result.newState });
  const pending: PendingCommit = Object.freeze({
    commit: encodeMlsMessage(result.commit),
    ...(result.welcome === undefined
      ? {}
      : {
          welcome: encodeMlsMessage({
            version: 'mls10',
            wireformat: 'mls_welcome',
            welcome: result.welcome,
          }),
        }),
    epoch: result.newState.groupContext.epoch,
  });
  internals.set(pending, { base, next, consumed: result.consumed, confirmed: false });
  return pending;
}

/**
 * The server accepted the commit: returns the next-epoch Group, spends the
 * previous one and erases the secrets of the old epoch that are no longer needed.
 */
export function confirmCommit(pending: PendingCommit): Group {
  const p = internals.get(pending);
  if (p === undefined) throw new Error('Not a PendingCommit made by @rchat/crypto.');
  if (p.confirmed) throw new Error('This commit was already confirmed.');
  p.confirmed = true;
  markSpent(p.base);
  p.consumed.forEach(zeroOutUint8Array);
  return p.next;
}

export function describeRefusals(problems: readonly CredentialProblem[]): string {
  return problems.map((p) => p.message).join(' ');
}
