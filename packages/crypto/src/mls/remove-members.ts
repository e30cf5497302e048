import type { Proposal } from 'ts-mls';
import { groupData, type Group } from './group.ts';
import { membersOfState } from './group-view.ts';
import type { MlsClient } from './mls-client.ts';
import type { CommitOutcome } from './pending-commit.ts';
import { runCommit } from './run-commit.ts';

export interface DeviceRef {
  readonly userId: string;
  readonly deviceId: string;
}

/** Removes the named devices; every one must be in the group. */
export async function removeDevices(
  client: MlsClient,
  group: Group,
  devices: readonly DeviceRef[],
): Promise<CommitOutcome> {
  const members = membersOfState(groupData(group).state);
  const proposals: Proposal[] = [];
  for (const d of devices) {
    const m = members.find((x) => x.userId === d.userId && x.deviceId === d.deviceId);
    if (m === undefined)
      return {
        kind: 'invalid',
        message: `Device ${d.deviceId} of user ${d.userId} is not in the group.`,
      };
    proposals.push({ proposalType: 'remove', remove: { removed: m.leafIndex } });
  }
  if (proposals.length === 0) return { kind: 'invalid', message: 'No device to remove.' };
  return runCommit(client, group, proposals);
}

/** Removes every device of each named user. */
export async function removeUsers(
  client: MlsClient,
  group: Group,
  userIds: readonly string[],
): Promise<CommitOutcome> {
  const wanted = new Set(userIds);
  const devices = membersOfState(groupData(group).state).filter((m) => wanted.has(m.userId));
  const missing = [...wanted].filter((u) => !devices.some((d) => d.userId === u));
  if (missing.length > 0)
    return { kind: 'invalid', message: `Not in the group: ${missing.join(', ')}.` };
  return removeDevices(client, group, devices);
}
