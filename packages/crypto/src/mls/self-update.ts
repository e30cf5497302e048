import type { Group } from './group.ts';
import type { MlsClient } from './mls-client.ts';
import type { CommitOutcome } from './pending-commit.ts';
import { runCommit } from './run-commit.ts';

/**
 * An empty commit: this device's leaf and path get fresh keys, so a past
 * compromise of its state stops mattering (post-compromise security).
 */
export function selfUpdate(client: MlsClient, group: Group): Promise<CommitOutcome> {
  return runCommit(client, group, []);
}
