/**
 * Client-side MLS work, timed per operation with `performance.now()`. Uses
 * only @rchat/crypto and web-standard globals, so the same code runs in
 * Node.js and (bundled) in Chromium.
 */
import {
  addMembers,
  confirmCommit,
  createDeviceKeys,
  createGroup,
  createMlsClient,
  decodeEnvelope,
  encodeEnvelope,
  encryptMessage,
  generateIdentityKeyPair,
  generateKeyPackage,
  joinGroup,
  receiveMessage,
  staticTrustSource,
  textEnvelope,
  type DeviceKeys,
  type Group,
  type IdentityKeyPair,
  type KeyPackageBundle,
  type MlsClient,
} from '@rchat/crypto';

export interface MlsWorkloadOptions {
  /**
   * Application messages encrypted by one device and decrypted by the other (after 10 untimed
   * ones).
   */
  messages: number;
  /** Text length of each message (UTF-8 bytes before the envelope and padding). */
  textBytes: number;
  /** Times a user with `devices` devices is added to a fresh two-person group. */
  adds: number;
  devices: number;
}

/** Milliseconds per operation. */
export interface MlsWorkloadTimings {
  encrypt: number[];
  decrypt: number[];
  /** The committer: addMembers with every device's KeyPackage, then confirmCommit. */
  add: number[];
  /** An existing member applying that commit. */
  applyAdd: number[];
  /** One of the added devices joining from the Welcome. */
  join: number[];
}

const YEAR_MS = 365 * 86_400_000;
const WARMUP_MESSAGES = 10;

interface Device {
  keys: DeviceKeys;
  client: MlsClient;
}

function expectKind<T extends { kind: string }, K extends T['kind']>(
  outcome: T,
  kind: K,
  what: string,
): Extract<T, { kind: K }> {
  if (outcome.kind !== kind)
    throw new Error(
      `${what}: ${outcome.kind}${'message' in outcome ? ` (${String(outcome.message)})` : ''}`,
    );
  return outcome as Extract<T, { kind: K }>;
}

export async function runMlsWorkload(options: MlsWorkloadOptions): Promise<MlsWorkloadTimings> {
  const users = ['alice', 'bob', ...Array.from({ length: options.adds }, (_, i) => `carol${i}`)];
  const identities = new Map<string, IdentityKeyPair>(
    users.map((u) => [u, generateIdentityKeyPair()]),
  );
  const trust = staticTrustSource(
    Object.fromEntries([...identities].map(([u, id]) => [u, { identityKey: id.publicKey }])),
  );
  const device = async (userId: string, deviceId: string): Promise<Device> => ({
    keys: await createDeviceKeys(identities.get(userId) as IdentityKeyPair, {
      userId,
      deviceId,
      cipherSuite: 1,
      expiresAt: Date.now() + YEAR_MS,
    }),
    client: createMlsClient({ trust, allowedCipherSuites: [1] }),
  });
  const alice = await device('alice', 'alice-d1');
  const bob = await device('bob', 'bob-d1');

  /** A fresh group of alice and bob: [alice's state, bob's state]. */
  const pair = async (): Promise<[Group, Group]> => {
    const bundle = await generateKeyPackage(bob.keys);
    const pending = expectKind(
      await addMembers(alice.client, await createGroup(alice.client, alice.keys), [
        bundle.keyPackage,
      ]),
      'ok',
      'add bob',
    ).pending;
    const joined = expectKind(
      await joinGroup(bob.client, pending.welcome as Uint8Array, [bundle]),
      'ok',
      'bob joins',
    );
    return [confirmCommit(pending), joined.group];
  };

  const timings: MlsWorkloadTimings = { encrypt: [], decrypt: [], add: [], applyAdd: [], join: [] };
  let [sending, receiving] = await pair();
  const text = 'x'.repeat(options.textBytes);
  for (let i = 0; i < WARMUP_MESSAGES + options.messages; i += 1) {
    const plaintext = encodeEnvelope(textEnvelope(text, `m${i}`, Date.now()));
    let t = performance.now();
    const encrypted = await encryptMessage(alice.client, sending, plaintext);
    const encryptMs = performance.now() - t;
    sending = encrypted.group;
    t = performance.now();
    const received = expectKind(
      await receiveMessage(bob.client, receiving, encrypted.message),
      'application',
      'decrypt',
    );
    if (decodeEnvelope(received.plaintext).kind !== 'text')
      throw new Error('decrypt: not the text sent');
    const decryptMs = performance.now() - t;
    receiving = received.group;
    if (i >= WARMUP_MESSAGES) {
      timings.encrypt.push(encryptMs);
      timings.decrypt.push(decryptMs);
    }
  }

  for (let a = 0; a < options.adds; a += 1) {
    const user = `carol${a}`;
    const devices = await Promise.all(
      Array.from({ length: options.devices }, (_, d) => device(user, `${user}-d${d + 1}`)),
    );
    const bundles: KeyPackageBundle[] = await Promise.all(
      devices.map((d) => generateKeyPackage(d.keys)),
    );
    const [aliceGroup, bobGroup] = await pair();
    let t = performance.now();
    const pending = expectKind(
      await addMembers(
        alice.client,
        aliceGroup,
        bundles.map((b) => b.keyPackage),
      ),
      'ok',
      `add ${user}`,
    ).pending;
    confirmCommit(pending);
    timings.add.push(performance.now() - t);
    t = performance.now();
    expectKind(
      await receiveMessage(bob.client, bobGroup, pending.commit),
      'commit',
      'apply the add',
    );
    timings.applyAdd.push(performance.now() - t);
    const first = devices[0] as Device;
    t = performance.now();
    expectKind(
      await joinGroup(first.client, pending.welcome as Uint8Array, [
        bundles[0] as KeyPackageBundle,
      ]),
      'ok',
      'join',
    );
    timings.join.push(performance.now() - t);
  }
  return timings;
}
