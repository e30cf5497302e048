import { describe, expect, it } from 'vitest';
import {
  defaultCapabilities,
  defaultLifetime,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
} from 'ts-mls';
import {
  addMembers,
  confirmCommit,
  createGroup,
  credentialForCertificate,
  generateIdentityKeyPair,
  joinGroup,
  staticTrustSource,
  createMlsClient,
} from '../src/index.ts';
import {
  addAndJoin,
  deliver,
  expectOk,
  groupOf,
  makeDevice,
  makeUser,
  TestDirectory,
  type TestDevice,
} from './fixtures.ts';

async function aliceAlone() {
  const directory = new TestDirectory();
  const alice = await makeUser(directory, 'alice', 1);
  const [a1] = alice.devices as [TestDevice];
  a1.group = await createGroup(a1.client, a1.keys);
  return { directory, a1 };
}

describe('the Authentication Service', () => {
  it('refuses a device certificate signed by another identity, with a readable reason', async () => {
    const { directory, a1 } = await aliceAlone();
    await makeUser(directory, 'carol', 1);
    const mallory = generateIdentityKeyPair();
    const forged = await makeDevice('carol', 'carol-evil', mallory, directory);
    const outcome = await addMembers(a1.client, groupOf(a1), [forged.bundles[0]!.keyPackage]);
    expect(outcome.kind).toBe('refused');
    if (outcome.kind !== 'refused') return;
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatchObject({
      kind: 'wrong-identity',
      userId: 'carol',
      deviceId: 'carol-evil',
    });
    expect(outcome.message).toMatch(
      /device carol-evil of user carol is signed by identity key [0-9a-f]{16}…, not by the key trusted for this user/,
    );
  });

  it('refuses unknown users, revoked devices and expired certificates', async () => {
    const { directory, a1 } = await aliceAlone();
    const stranger = await makeDevice('stranger', 's1', generateIdentityKeyPair(), directory);
    const bob = await makeUser(directory, 'bob', 2);
    directory.revoked.add('bob/bob-d2');
    const dave = generateIdentityKeyPair();
    directory.identities.set('dave', dave.publicKey);
    const soon = Date.now() + 60_000;
    const expiring = await makeDevice('dave', 'dave-d1', dave, directory, { expiresAt: soon });
    const later = { ...a1, client: createMlsClient({ trust: directory, now: () => soon + 1 }) };

    const kinds = async (device: TestDevice, committer: TestDevice = a1) => {
      const outcome = await addMembers(committer.client, groupOf(a1), [
        device.bundles[0]!.keyPackage,
      ]);
      return outcome.kind === 'refused' ? outcome.problems.map((p) => p.kind) : outcome.kind;
    };
    expect(await kinds(stranger)).toEqual(['unknown-user']);
    expect(await kinds(bob.devices[1]!)).toEqual(['revoked']);
    expect(await kinds(expiring, later)).toEqual(['expired']);
    expect(await kinds(expiring)).toBe('ok');
  });

  it('refuses a certificate whose device key is not the leaf key', async () => {
    const { directory, a1 } = await aliceAlone();
    const erin = await makeUser(directory, 'erin', 2);
    const [e1, e2] = erin.devices as [TestDevice, TestDevice];
    // A KeyPackage whose leaf signs with e2's key but carries e1's certificate.
    const impl = await getCiphersuiteImpl(
      getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'),
    );
    const { publicPackage } = await generateKeyPackageWithKey(
      credentialForCertificate(e1.keys.certificate),
      defaultCapabilities(),
      defaultLifetime,
      [],
      {
        signKey: e2.keys.signaturePrivateKey,
        publicKey: e2.keys.certificate.deviceSignatureKey,
      },
      impl,
    );
    const swapped = encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_key_package',
      keyPackage: publicPackage,
    });
    const outcome = await addMembers(a1.client, groupOf(a1), [swapped]);
    expect(outcome).toMatchObject({
      kind: 'refused',
      problems: [{ kind: 'device-key-mismatch', deviceId: 'erin-d1' }],
    });
  });

  it('validates credentials when processing a commit from another member', async () => {
    const { directory, a1 } = await aliceAlone();
    const bob = await makeUser(directory, 'bob', 1);
    const [b1] = bob.devices as [TestDevice];
    await addAndJoin(a1, [], [b1]);
    // Carol is known to Alice but not to Bob's device.
    const carolIdentity = generateIdentityKeyPair();
    const aliceOnly = new TestDirectory();
    aliceOnly.identities.set('alice', directory.identities.get('alice')!);
    aliceOnly.identities.set('bob', directory.identities.get('bob')!);
    const bobView = { ...b1, client: createMlsClient({ trust: aliceOnly }) };
    directory.identities.set('carol', carolIdentity.publicKey);
    const c1 = await makeDevice('carol', 'carol-d1', carolIdentity, directory);

    const pending = expectOk(await addMembers(a1.client, groupOf(a1), [c1.bundles[0]!.keyPackage]));
    a1.group = confirmCommit(pending);
    const [atBob] = await deliver(pending.commit, [bobView]);
    expect(atBob).toMatchObject({
      kind: 'refused',
      problems: [{ kind: 'unknown-user', userId: 'carol' }],
    });
    expect(groupOf(bobView).epoch).toBe(pending.epoch - 1n);
  });

  it('validates every leaf when joining from a Welcome', async () => {
    const { directory, a1 } = await aliceAlone();
    const bob = await makeUser(directory, 'bob', 1);
    const [b1] = bob.devices as [TestDevice];
    const pending = expectOk(await addMembers(a1.client, groupOf(a1), [b1.bundles[0]!.keyPackage]));
    // Bob pins a different key for Alice than the one that signed her certificate.
    const pinned = staticTrustSource({
      alice: { identityKey: generateIdentityKeyPair().publicKey },
      bob: { identityKey: directory.identities.get('bob')! },
    });
    const joined = await joinGroup(
      createMlsClient({ trust: pinned }),
      pending.welcome!,
      b1.bundles,
    );
    expect(joined).toMatchObject({
      kind: 'refused',
      problems: [{ kind: 'wrong-identity', userId: 'alice' }],
    });
    const ok = await joinGroup(b1.client, pending.welcome!, b1.bundles);
    expect(ok.kind).toBe('ok');
  });

  it('refuses groups in a cipher suite the operator policy does not allow', async () => {
    const { directory, a1 } = await aliceAlone();
    const bob = await makeUser(directory, 'bob', 1);
    const [b1] = bob.devices as [TestDevice];
    const pending = expectOk(await addMembers(a1.client, groupOf(a1), [b1.bundles[0]!.keyPackage]));
    const strict = createMlsClient({ trust: directory, allowedCipherSuites: [3] });
    expect(await joinGroup(strict, pending.welcome!, b1.bundles)).toMatchObject({
      kind: 'suite-not-allowed',
    });
    expect(() => createMlsClient({ trust: directory, allowedCipherSuites: [9999] })).toThrow(
      /allows no suite/,
    );
  });
});
