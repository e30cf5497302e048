import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeviceKeys,
  deviceCertificateToBase64,
  generateIdentityKeyPair,
  generateKeyPackage,
  generateKeyPackages,
  toBase64,
  type IdentityKeyPair,
} from '@rchat/crypto';
import type { RchatError } from '@rchat/sdk';
import { rejection } from '../support/rejection.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  PASSWORD,
  listen,
  loginDevice,
  registerUser,
  waitFor,
  type TestUser,
} from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

const inAYear = () => Date.now() + 365 * 86_400_000;

/** Sets up a device as a client would: identity key, certificate, KeyPackages. */
async function setUpDevice(user: TestUser, identity: IdentityKeyPair, oneTime: number) {
  await user.api.setIdentityKey(toBase64(identity.publicKey));
  const keys = await createDeviceKeys(identity, {
    userId: user.id,
    deviceId: user.deviceId,
    cipherSuite: 1,
    expiresAt: inAYear(),
  });
  await user.api.setDeviceCertificate(deviceCertificateToBase64(keys.certificate));
  const packages = await generateKeyPackages(keys, oneTime);
  const lastResort = await generateKeyPackage(keys, { lastResort: true });
  await user.api.uploadKeyPackages({
    keyPackages: packages.map((p) => toBase64(p.keyPackage)),
    lastResort: toBase64(lastResort.keyPackage),
  });
  return { keys, packages, lastResort };
}

describe('key directory', () => {
  it('accepts only certificates signed by the account identity key for this very device', async () => {
    const alice = await registerUser(platform.url, 'alice');
    const identity = generateIdentityKeyPair();
    const e1 = await rejection(
      alice.api.setDeviceCertificate(
        deviceCertificateToBase64(
          (
            await createDeviceKeys(identity, {
              userId: alice.id,
              deviceId: alice.deviceId,
              cipherSuite: 1,
              expiresAt: inAYear(),
            })
          ).certificate,
        ),
      ),
    );
    expect(e1.code).toBe('IDENTITY_KEY_MISSING');
    await alice.api.setIdentityKey(toBase64(identity.publicKey));

    const stranger = generateIdentityKeyPair();
    const foreign = await createDeviceKeys(stranger, {
      userId: alice.id,
      deviceId: alice.deviceId,
      cipherSuite: 1,
      expiresAt: inAYear(),
    });
    expect(
      (
        await rejection(
          alice.api.setDeviceCertificate(deviceCertificateToBase64(foreign.certificate)),
        )
      ).code,
    ).toBe('INVALID_CERTIFICATE');
    const otherDevice = await createDeviceKeys(identity, {
      userId: alice.id,
      deviceId: '00000000-0000-4000-8000-000000000009',
      cipherSuite: 1,
      expiresAt: inAYear(),
    });
    expect(
      (
        await rejection(
          alice.api.setDeviceCertificate(deviceCertificateToBase64(otherDevice.certificate)),
        )
      ).code,
    ).toBe('INVALID_CERTIFICATE');
    const expired = await createDeviceKeys(identity, {
      userId: alice.id,
      deviceId: alice.deviceId,
      cipherSuite: 1,
      expiresAt: Date.now() - 1000,
    });
    expect(
      (
        await rejection(
          alice.api.setDeviceCertificate(deviceCertificateToBase64(expired.certificate)),
        )
      ).code,
    ).toBe('INVALID_CERTIFICATE');
    expect((await rejection(alice.api.setDeviceCertificate('AAAA'))).code).toBe(
      'INVALID_CERTIFICATE',
    );
    expect((await rejection(alice.api.uploadKeyPackages({ keyPackages: ['AAAA'] }))).code).toBe(
      'CERTIFICATE_MISSING',
    );

    const good = await createDeviceKeys(identity, {
      userId: alice.id,
      deviceId: alice.deviceId,
      cipherSuite: 1,
      expiresAt: inAYear(),
    });
    await alice.api.setDeviceCertificate(deviceCertificateToBase64(good.certificate));
    const dir = await alice.api.userKeys(alice.id);
    expect(dir.identityKey).toBe(toBase64(identity.publicKey));
    expect(dir.devices).toEqual([
      expect.objectContaining({
        deviceId: alice.deviceId,
        certificate: deviceCertificateToBase64(good.certificate),
      }),
    ]);

    // A session cannot replace the identity key; only a reset can, which needs the password again
    // and drops every certificate.
    const next = generateIdentityKeyPair();
    expect((await rejection(alice.api.setIdentityKey(toBase64(next.publicKey)))).code).toBe(
      'IDENTITY_KEY_CONFLICT',
    );
    expect(await alice.api.setIdentityKey(toBase64(identity.publicKey))).toEqual({
      changed: false,
    });
    const reset = {
      identityKey: toBase64(next.publicKey),
      confirm: 'reset my encryption identity' as const,
    };
    expect(
      (await rejection(alice.api.resetIdentity({ ...reset, password: 'not the password at all' })))
        .code,
    ).toBe('INVALID_CREDENTIALS');
    expect((await alice.api.userKeys(alice.id)).identityKey).toBe(toBase64(identity.publicKey));
    expect(await alice.api.resetIdentity({ ...reset, password: PASSWORD })).toEqual({
      signedOut: 0,
    });
    const after = await alice.api.userKeys(alice.id);
    expect(after.identityKey).toBe(toBase64(next.publicKey));
    expect(after.devices).toEqual([]);
    expect(after.identityKeyChangedAt).not.toBeNull();
    expect(after.identityResetAt).not.toBeNull();
  });

  it('hands each one-time KeyPackage out once, then the last-resort one, for every device of the user', async () => {
    const bob = await registerUser(platform.url, 'bob');
    const bobPhone = await loginDevice(platform.url, bob.username, 'phone');
    const identity = generateIdentityKeyPair();
    const laptop = await setUpDevice(bob, identity, 2);
    const phone = await setUpDevice(bobPhone, identity, 1);
    expect(await bob.api.keyPackageCount()).toEqual({ oneTime: 2, lastResort: true });

    const claimers = await Promise.all([
      registerUser(platform.url, 'c1'),
      registerUser(platform.url, 'c2'),
      registerUser(platform.url, 'c3'),
    ]);
    const claims = await Promise.all(claimers.map((c) => c.api.claimKeyPackages(bob.id)));
    const handedOut = (deviceId: string) =>
      claims.map((c) => c.keyPackages.find((k) => k.deviceId === deviceId));
    const laptopKps = handedOut(bob.deviceId);
    const phoneKps = handedOut(bobPhone.deviceId);
    // Laptop: its two one-time packages to two claimers, its last-resort to the third.
    expect(
      laptopKps
        .filter((k) => !k?.lastResort)
        .map((k) => k?.keyPackage)
        .sort(),
    ).toEqual(laptop.packages.map((p) => toBase64(p.keyPackage)).sort());
    expect(laptopKps.filter((k) => k?.lastResort).map((k) => k?.keyPackage)).toEqual([
      toBase64(laptop.lastResort.keyPackage),
    ]);
    // Phone: one one-time package, then the last-resort one twice.
    expect(phoneKps.filter((k) => !k?.lastResort).map((k) => k?.keyPackage)).toEqual([
      toBase64(phone.packages[0]?.keyPackage ?? new Uint8Array()),
    ]);
    expect(phoneKps.filter((k) => k?.lastResort)).toHaveLength(2);
    expect(claims.every((c) => c.identityKey === toBase64(identity.publicKey))).toBe(true);
    expect(await bob.api.keyPackageCount()).toEqual({ oneTime: 0, lastResort: true });

    const except = await claimers[0]?.api.claimKeyPackages(bob.id, [bob.deviceId]);
    expect(except?.keyPackages.map((k) => k.deviceId)).toEqual([bobPhone.deviceId]);
  });
});

describe('commit sequencer', () => {
  it('accepts exactly one of two commits made in the same epoch, and routes the Welcome only to the devices it names', async () => {
    const alice = await registerUser(platform.url, 'alice');
    const alicePhone = await loginDevice(platform.url, alice.username, 'phone');
    const bob = await registerUser(platform.url, 'bob');
    const bobPhone = await loginDevice(platform.url, bob.username, 'phone');
    const conv = await alice.api.createConversation(bob.id);
    expect(conv.epoch).toBe(0);
    const laptopStream = listen(bob);
    const phoneStream = listen(bobPhone);
    await Promise.all([laptopStream.ready, phoneStream.ready]);

    const results = await Promise.allSettled([
      alice.api.submitCommit(conv.id, {
        epoch: 0,
        commit: toBase64(new Uint8Array([1, 1])),
        welcome: {
          message: toBase64(new Uint8Array([9])),
          recipients: [{ userId: bob.id, deviceId: bob.deviceId }],
        },
      }),
      alicePhone.api.submitCommit(conv.id, { epoch: 0, commit: toBase64(new Uint8Array([2, 2])) }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as RchatError] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((e) => [e.status, e.code])).toEqual([[409, 'EPOCH_CONFLICT']]);
    expect(lost[0]?.details).toEqual({ epoch: 1 });

    const { commits, epoch } = await bob.api.commits(conv.id, 0);
    expect(epoch).toBe(1);
    expect(commits).toHaveLength(1);
    expect((await alice.api.conversation(conv.id)).epoch).toBe(1);

    await waitFor(
      () =>
        laptopStream.entries.some((e) => e.type === 'commit') &&
        phoneStream.entries.some((e) => e.type === 'commit'),
      'commit on both devices',
    );
    const welcomeFirst = results[0]?.status === 'fulfilled';
    await waitFor(
      () => !welcomeFirst || laptopStream.entries.some((e) => e.type === 'welcome'),
      'welcome on the named device',
    );
    expect(phoneStream.entries.some((e) => e.type === 'welcome')).toBe(false);
    expect(laptopStream.entries.filter((e) => e.type === 'welcome')).toHaveLength(
      welcomeFirst ? 1 : 0,
    );
    // Store reads filter the same way.
    expect((await bobPhone.api.inbox(0)).entries.some((e) => e.type === 'welcome')).toBe(false);
    expect((await bob.api.inbox(0)).entries.filter((e) => e.type === 'welcome')).toHaveLength(
      welcomeFirst ? 1 : 0,
    );
    laptopStream.stream.close();
    phoneStream.stream.close();

    const stale = await rejection(
      alice.api.submitCommit(conv.id, { epoch: 0, commit: toBase64(new Uint8Array([3])) }),
    );
    expect(stale.code).toBe('EPOCH_CONFLICT');
    const stranger = await registerUser(platform.url, 'eve');
    expect(
      (
        await rejection(
          stranger.api.submitCommit(conv.id, { epoch: 1, commit: toBase64(new Uint8Array([4])) }),
        )
      ).code,
    ).toBe('CONVERSATION_NOT_FOUND');
  });
});
