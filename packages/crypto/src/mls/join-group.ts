import { decodeMlsMessage, emptyPskIndex, joinGroup as joinMlsGroup } from 'ts-mls';
import type { CredentialProblem } from './authentication-service.ts';
import { cipherSuiteIdOf, loadCipherSuite } from './cipher-suites.ts';
import { clientConfigFor, rethrowLookupFailure } from './client-config.ts';
import { bytesEqual } from '../util/bytes.ts';
import { makeGroup, type Group } from './group.ts';
import { decodeKeyPackage, type KeyPackageBundle } from './key-packages.ts';
import type { MlsClient } from './mls-client.ts';
import { classifyMlsError } from './mls-errors.ts';
import { describeRefusals } from './pending-commit.ts';

export type JoinOutcome =
  /** Delete the used KeyPackage unless it is the last-resort one. */
  | { kind: 'ok'; group: Group; usedKeyPackage: KeyPackageBundle }
  | { kind: 'no-matching-key-package'; message: string }
  | { kind: 'suite-not-allowed'; message: string }
  /** A member's credential (the inviter's or another leaf's) failed the Authentication Service. */
  | { kind: 'refused'; problems: CredentialProblem[]; message: string }
  | { kind: 'invalid'; message: string };

/**
 * Joins from a Welcome, using whichever of this device's KeyPackages it was
 * made for. The whole ratchet tree (carried in the Welcome) is validated,
 * every leaf by the rchat Authentication Service.
 */
export async function joinGroup(
  client: MlsClient,
  welcome: Uint8Array,
  keyPackages: readonly KeyPackageBundle[],
): Promise<JoinOutcome> {
  const decoded = decodeMlsMessage(welcome, 0);
  if (
    decoded === undefined ||
    decoded[1] !== welcome.length ||
    decoded[0].wireformat !== 'mls_welcome'
  ) {
    return { kind: 'invalid', message: 'Not an encoded MLS Welcome.' };
  }
  const w = decoded[0].welcome;
  const suite = cipherSuiteIdOf(w.cipherSuite);
  if (!client.allowedCipherSuites.includes(suite)) {
    return {
      kind: 'suite-not-allowed',
      message: `The group uses cipher suite ${suite}, which the operator policy does not allow.`,
    };
  }
  const bundle = keyPackages.find((b) => w.secrets.some((s) => bytesEqual(s.newMember, b.ref)));
  if (bundle === undefined)
    return {
      kind: 'no-matching-key-package',
      message: 'The Welcome is for none of the KeyPackages this device holds.',
    };
  const kp = decodeKeyPackage(bundle.keyPackage);
  if (kp.kind !== 'ok') return { kind: 'invalid', message: kp.message };
  const impl = await loadCipherSuite(suite);
  const { config, refusals } = clientConfigFor(client, suite);
  try {
    const state = await joinMlsGroup(
      w,
      kp.keyPackage,
      bundle.privateKeys,
      emptyPskIndex,
      impl,
      undefined,
      undefined,
      config,
    );
    return {
      kind: 'ok',
      group: makeGroup({ state, cipherSuite: suite, seen: [] }),
      usedKeyPackage: bundle,
    };
  } catch (e) {
    rethrowLookupFailure(refusals);
    if (refusals.problems.length > 0)
      return {
        kind: 'refused',
        problems: refusals.problems,
        message: describeRefusals(refusals.problems),
      };
    return {
      kind: 'invalid',
      message: `The Welcome could not be processed: ${classifyMlsError(e).message}`,
    };
  }
}
