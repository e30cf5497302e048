import { createCommit, type Proposal } from 'ts-mls';
import { loadCipherSuite } from './cipher-suites.ts';
import { clientConfigFor, rethrowLookupFailure } from './client-config.ts';
import { groupData, type Group } from './group.ts';
import type { MlsClient } from './mls-client.ts';
import { classifyMlsError } from './mls-errors.ts';
import { describeRefusals, makePendingCommit, type CommitOutcome } from './pending-commit.ts';

/** Commits `proposals` (plus any stored ones) with a path update when MLS requires one. */
export async function runCommit(
  client: MlsClient,
  group: Group,
  proposals: Proposal[],
): Promise<CommitOutcome> {
  const data = groupData(group);
  if (data.state.groupActiveState.kind !== 'active')
    return { kind: 'invalid', message: 'This device is no longer a member of the group.' };
  const impl = await loadCipherSuite(data.cipherSuite);
  const { config, refusals } = clientConfigFor(client, data.cipherSuite);
  try {
    const result = await createCommit(
      { state: { ...data.state, clientConfig: config }, cipherSuite: impl },
      { extraProposals: proposals, ratchetTreeExtension: true },
    );
    return {
      kind: 'ok',
      pending: makePendingCommit(group, result, { cipherSuite: data.cipherSuite, seen: data.seen }),
    };
  } catch (e) {
    rethrowLookupFailure(refusals);
    if (refusals.problems.length > 0)
      return {
        kind: 'refused',
        problems: refusals.problems,
        message: describeRefusals(refusals.problems),
      };
    return { kind: 'invalid', message: classifyMlsError(e).message };
  }
}
