import type { Proposal } from 'ts-mls';
import { checkCredential, type CredentialProblem } from './authentication-service.ts';
import { groupData, type Group } from './group.ts';
import { decodeKeyPackage } from './key-packages.ts';
import type { MlsClient } from './mls-client.ts';
import { describeRefusals, type CommitOutcome } from './pending-commit.ts';
import { runCommit } from './run-commit.ts';

/**
 * Adds devices from their KeyPackages (pass every device of a user to add the
 * user). Each credential goes through the Authentication Service first, so a
 * refusal names the device and the reason; nothing is committed then.
 */
export async function addMembers(
  client: MlsClient,
  group: Group,
  keyPackages: readonly Uint8Array[],
): Promise<CommitOutcome> {
  const data = groupData(group);
  const proposals: Proposal[] = [];
  const problems: CredentialProblem[] = [];
  for (const bytes of keyPackages) {
    const decoded = decodeKeyPackage(bytes);
    if (decoded.kind !== 'ok') return { kind: 'invalid', message: decoded.message };
    if (decoded.cipherSuite !== data.cipherSuite) {
      return {
        kind: 'invalid',
        message: `A KeyPackage uses cipher suite ${decoded.cipherSuite}; the group uses ${data.cipherSuite}.`,
      };
    }
    const leaf = decoded.keyPackage.leafNode;
    const check = await checkCredential(leaf.credential, leaf.signaturePublicKey, {
      trust: client.trust,
      now: client.now,
      cipherSuite: data.cipherSuite,
    });
    if (check.kind === 'refused') problems.push(check.problem);
    proposals.push({ proposalType: 'add', add: { keyPackage: decoded.keyPackage } });
  }
  if (problems.length > 0)
    return { kind: 'refused', problems, message: describeRefusals(problems) };
  if (proposals.length === 0) return { kind: 'invalid', message: 'No KeyPackage to add.' };
  return runCommit(client, group, proposals);
}
