import type { ClientState } from 'ts-mls';
import type { CipherSuiteId } from './cipher-suites.ts';

/**
 * One device's view of one MLS group at one epoch. Immutable: every operation
 * returns a new Group, and the one it was derived from is spent (using a spent
 * Group throws, since its keys may be erased and reusing them would repeat nonces).
 */
export interface Group {
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  readonly cipherSuite: CipherSuiteId;
}

export interface GroupData {
  readonly state: ClientState;
  readonly cipherSuite: CipherSuiteId;
  /** Digests of recently accepted ciphertexts, oldest first (replay guard). */
  readonly seen: readonly string[];
}

const internals = new WeakMap<Group, GroupData>();
const spent = new WeakSet<Group>();

export function makeGroup(data: GroupData): Group {
  const group: Group = Object.freeze({
    groupId: data.state.groupContext.groupId,
    epoch: data.state.groupContext.epoch,
    cipherSuite: data.cipherSuite,
  });
  internals.set(group, data);
  return group;
}

/** The internals of a live Group; throws on a spent or foreign object. */
export function groupData(group: Group): GroupData {
  const data = internals.get(group);
  if (data === undefined) throw new Error('Not a Group made by @rchat/crypto.');
  if (spent.has(group))
    throw new Error(
      'This Group was superseded by a newer one; always continue from the Group an operation returned.',
    );
  return data;
}

export function markSpent(group: Group): void {
  spent.add(group);
}
