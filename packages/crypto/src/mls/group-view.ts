import type { ClientState } from 'ts-mls';
import { certificateOfCredential } from './credential.ts';
import { groupData, type Group } from './group.ts';

/** One leaf of the group: a device of a user. */
export interface GroupMember {
  readonly leafIndex: number;
  readonly userId: string;
  readonly deviceId: string;
  readonly signatureKey: Uint8Array;
}

export function membersOfState(state: ClientState): GroupMember[] {
  const members: GroupMember[] = [];
  state.ratchetTree.forEach((node, nodeIndex) => {
    if (node?.nodeType !== 'leaf') return;
    const decoded = certificateOfCredential(node.leaf.credential);
    // Every leaf passed the Authentication Service, so decoding cannot fail; skip defensively.
    if (decoded.kind !== 'ok') return;
    members.push({
      leafIndex: nodeIndex / 2,
      userId: decoded.certificate.userId,
      deviceId: decoded.certificate.deviceId,
      signatureKey: node.leaf.signaturePublicKey,
    });
  });
  return members;
}

export function memberAtLeaf(state: ClientState, leafIndex: number): GroupMember | undefined {
  return membersOfState(state).find((m) => m.leafIndex === leafIndex);
}

/** Every device in the group, in leaf order. */
export function groupMembers(group: Group): GroupMember[] {
  return membersOfState(groupData(group).state);
}

/** This device's own leaf. */
export function ownMember(group: Group): GroupMember {
  const state = groupData(group).state;
  const me = memberAtLeaf(state, state.privatePath.leafIndex);
  if (me === undefined) throw new Error('This device has no leaf in the group.');
  return me;
}

/**
 * RFC 9420 epoch_authenticator: equal on every member that shares the epoch;
 * compare out of band to detect a fork or an active attacker.
 */
export function epochAuthenticator(group: Group): Uint8Array {
  return groupData(group).state.keySchedule.epochAuthenticator.slice();
}

/** False once a commit removed this device (it can then neither send nor read new epochs). */
export function isActiveMember(group: Group): boolean {
  return groupData(group).state.groupActiveState.kind === 'active';
}
