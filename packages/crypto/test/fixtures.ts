// Shared setup for the behaviour tests: users with identities, devices with keys and KeyPackages.
import {
  addMembers,
  confirmCommit,
  createDeviceKeys,
  createMlsClient,
  generateIdentityKeyPair,
  generateKeyPackage,
  joinGroup,
  receiveMessage,
  encryptMessage,
  type CommitOutcome,
  type DeviceKeys,
  type Group,
  type IdentityKeyPair,
  type KeyPackageBundle,
  type MlsClient,
  type PendingCommit,
  type ReceiveOutcome,
  type TrustSource,
  type CipherSuiteId,
} from '../src/index.ts';

export const year = 365 * 86_400_000;

export interface TestDevice {
  readonly userId: string;
  readonly deviceId: string;
  readonly keys: DeviceKeys;
  readonly client: MlsClient;
  bundles: KeyPackageBundle[];
  group?: Group;
}

/** A trust table every test device shares (mutable so tests can revoke). */
export class TestDirectory implements TrustSource {
  readonly identities = new Map<string, Uint8Array>();
  readonly revoked = new Set<string>();

  identityKeyOf(userId: string): Uint8Array | undefined {
    return this.identities.get(userId);
  }

  isDeviceRevoked(userId: string, deviceId: string): boolean {
    return this.revoked.has(`${userId}/${deviceId}`);
  }
}

export async function makeDevice(
  userId: string,
  deviceId: string,
  identity: IdentityKeyPair,
  trust: TrustSource,
  options: { suite?: CipherSuiteId; expiresAt?: number; now?: () => number } = {},
): Promise<TestDevice> {
  const suite = options.suite ?? 1;
  const keys = await createDeviceKeys(identity, {
    userId,
    deviceId,
    cipherSuite: suite,
    expiresAt: options.expiresAt ?? Date.now() + year,
  });
  const client = createMlsClient({
    trust,
    allowedCipherSuites: [suite],
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { userId, deviceId, keys, client, bundles: [await generateKeyPackage(keys)] };
}

export async function makeUser(
  directory: TestDirectory,
  userId: string,
  devices: number,
  suite: CipherSuiteId = 1,
): Promise<{ identity: IdentityKeyPair; devices: TestDevice[] }> {
  const identity = generateIdentityKeyPair();
  directory.identities.set(userId, identity.publicKey);
  const out: TestDevice[] = [];
  for (let i = 1; i <= devices; i++)
    out.push(await makeDevice(userId, `${userId}-d${i}`, identity, directory, { suite }));
  return { identity, devices: out };
}

export function expectOk(outcome: CommitOutcome): PendingCommit {
  if (outcome.kind !== 'ok') throw new Error(`Commit failed (${outcome.kind}): ${outcome.message}`);
  return outcome.pending;
}

export function groupOf(device: TestDevice): Group {
  if (device.group === undefined) throw new Error(`${device.deviceId} has no group`);
  return device.group;
}

/** The committer adds devices; the sequencer accepts; others apply the commit; joiners join. */
export async function addAndJoin(
  committer: TestDevice,
  others: readonly TestDevice[],
  joiners: readonly TestDevice[],
): Promise<void> {
  const pending = expectOk(
    await addMembers(
      committer.client,
      groupOf(committer),
      joiners.map((j) => j.bundles[0]?.keyPackage ?? new Uint8Array()),
    ),
  );
  committer.group = confirmCommit(pending);
  await deliver(pending.commit, others);
  for (const j of joiners) {
    if (pending.welcome === undefined) throw new Error('no welcome');
    const joined = await joinGroup(j.client, pending.welcome, j.bundles);
    if (joined.kind !== 'ok') throw new Error(`join failed (${joined.kind}): ${joined.message}`);
    j.group = joined.group;
  }
}

/** Delivers one MLS message to each recipient; returns their outcomes. */
export async function deliver(
  message: Uint8Array,
  recipients: readonly TestDevice[],
): Promise<ReceiveOutcome[]> {
  const outcomes: ReceiveOutcome[] = [];
  for (const r of recipients) {
    const outcome = await receiveMessage(r.client, groupOf(r), message);
    r.group = outcome.group;
    outcomes.push(outcome);
  }
  return outcomes;
}

export async function send(sender: TestDevice, text: string): Promise<Uint8Array> {
  const { group, message } = await encryptMessage(
    sender.client,
    groupOf(sender),
    new TextEncoder().encode(text),
  );
  sender.group = group;
  return message;
}

export function textOf(outcome: ReceiveOutcome): string {
  if (outcome.kind !== 'application')
    throw new Error(
      `expected an application message, got ${outcome.kind}${'message' in outcome ? `: ${outcome.message}` : ''}`,
    );
  return new TextDecoder().decode(outcome.plaintext);
}
