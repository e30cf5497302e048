import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMembers,
  confirmCommit,
  createGroup,
  createMlsClient,
  encodeEnvelope,
  encryptMessage,
  fromBase64,
  generateIdentityKeyPair,
  signDeviceLogin,
  staticTrustSource,
  textEnvelope,
  toBase64,
  createDeviceKeys,
  deviceCertificateToBase64,
  generateKeyPackage,
} from '@rchat/crypto';
import { RchatApi, RchatClient, createMemoryStorage } from '@rchat/sdk';
import { registerClient, waitForTexts, type TestClient } from '../support/clients.ts';
import { MaliciousServer } from '../support/malicious-server.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import { rejection } from '../support/rejection.ts';
import { PASSWORD, certify, registerUser, waitFor } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

const groupIdOf = (conversationId: string) =>
  Uint8Array.from(Buffer.from(conversationId.replace(/-/g, ''), 'hex'));
const texts = (t: TestClient, conversationId: string) =>
  t.received
    .filter((m) => m.conversationId === conversationId && m.content.kind === 'text')
    .map((m) => (m.content.kind === 'text' ? m.content.text : ''));

/** Two people talking, both online. */
async function pair(options: { aliceFetch?: typeof fetch; bobFetch?: typeof fetch } = {}) {
  const alice = await registerClient(
    platform.url,
    'alice',
    options.aliceFetch ? { fetch: options.aliceFetch } : {},
  );
  const bob = await registerClient(
    platform.url,
    'bob',
    options.bobFetch ? { fetch: options.bobFetch } : {},
  );
  await Promise.all([alice.client.start(), bob.client.start()]);
  const conv = await alice.client.startConversation({ userId: bob.client.userId });
  await waitFor(
    async () => (await bob.client.conversations())[0]?.encryption === 'ready',
    'bob joins the conversation',
  );
  await alice.client.sendText(conv.id, 'hello bob');
  await waitForTexts(bob, conv.id, alice.client.userId, 1);
  return { alice, bob, conv };
}

describe('attack A: the password alone', () => {
  it('cannot swap the identity key; a loud reset signs alice out, blocks bob, and the attacker reads nothing', async () => {
    const { alice, bob, conv } = await pair();
    const attacker = new RchatApi({ baseUrl: platform.url });
    await attacker.login({
      username: alice.client.username,
      password: PASSWORD,
      device: { name: 'not alice' },
    });
    const mine = generateIdentityKeyPair();

    // 1. Replacing the identity key with a session is refused, and so is everything that would need
    // it.
    expect((await rejection(attacker.setIdentityKey(toBase64(mine.publicKey)))).code).toBe(
      'IDENTITY_KEY_CONFLICT',
    );
    const session = attacker.session!;
    const forged = await createDeviceKeys(mine, {
      userId: session.user.id,
      deviceId: session.deviceId,
      cipherSuite: 1,
      expiresAt: Date.now() + 86_400_000,
    });
    expect(
      (
        await rejection(
          attacker.setDeviceCertificate(deviceCertificateToBase64(forged.certificate)),
        )
      ).code,
    ).toBe('INVALID_CERTIFICATE');
    expect((await rejection(attacker.uploadKeyPackages({ keyPackages: ['AAAA'] }))).code).toBe(
      'CERTIFICATE_MISSING',
    );
    expect((await rejection(attacker.putSecretStorage(toBase64(new Uint8Array(32))))).code).toBe(
      'DEVICE_NOT_CERTIFIED',
    );
    expect((await rejection(attacker.removeDevice(alice.client.deviceId))).code).toBe(
      'DEVICE_NOT_CERTIFIED',
    );
    // A join request from the uncertified device goes through the server, but no client adds it.
    await attacker.requestJoin(conv.id);
    await alice.client.sendText(conv.id, 'still just us');
    await waitForTexts(bob, conv.id, alice.client.userId, 2);
    expect((await bob.client.conversationDevices(conv.id)).map((d) => d.deviceId).sort()).toEqual(
      [alice.client.deviceId, bob.client.deviceId].sort(),
    );

    // 2. The loud path: a reset with the password (what the SDK offers a person who lost
    // everything).
    const intruder = await RchatClient.resetIdentity(
      { baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'intruder' },
      alice.client.username,
      PASSWORD,
    );
    const intruderView: string[] = [];
    intruder.on('message', (m) => m.content.kind === 'text' && intruderView.push(m.content.text));
    await intruder.start();

    // Alice's own device is signed out and told why.
    await waitFor(
      () => alice.alerts.some((a) => a.kind === 'account-identity-reset'),
      "alice's alert",
    );
    expect(alice.alerts.find((a) => a.kind === 'account-identity-reset')?.message).toContain(
      "Someone reset your account's encryption identity",
    );
    // Bob sees the change loudly, and sending is blocked until he accepts it.
    await waitFor(
      async () => (await bob.client.conversations())[0]?.encryption === 'identity-changed',
      "bob's conversation is blocked",
    );
    expect(
      bob.alerts.some((a) => a.kind === 'peer-identity-changed' && a.conversationId === conv.id),
    ).toBe(true);
    const [blocked] = await bob.client.conversations();
    expect(blocked?.identityChange).toMatchObject({
      userId: alice.client.userId,
      resetAt: expect.any(String),
    });
    expect((await rejection(bob.client.sendText(conv.id, 'secret for alice'))).code).toBe(
      'IDENTITY_CHANGED',
    );
    expect((await bob.client.safetyNumber(conv.id)).identityKeyChanged).toBe(true);
    // No client added the intruder's device; it holds no keys for the conversation and read
    // nothing.
    await bob.client.idle();
    expect((await bob.client.conversationDevices(conv.id)).map((d) => d.deviceId)).not.toContain(
      intruder.deviceId,
    );
    expect(await intruder.groupState(conv.id)).toBeNull();
    expect(intruderView).toEqual([]);
    expect(
      (await intruder.history(conv.id)).messages.filter((m) => m.content.kind === 'text'),
    ).toEqual([]);
    alice.client.stop();
    bob.client.stop();
    intruder.stop();
  });
});

describe('attack B: signing in as an existing device', () => {
  it("needs a signature by that device's key over a fresh challenge", async () => {
    const alice = await registerClient(platform.url, 'alice');
    const api = new RchatApi({ baseUrl: platform.url });
    const device = { id: alice.client.deviceId, name: 'looks like alice' };
    const login = (proof?: { challenge: string; signature: string }) =>
      api.login({
        username: alice.client.username,
        password: PASSWORD,
        device: { ...device, ...(proof ? { proof } : {}) },
      });
    expect((await rejection(login())).code).toBe('DEVICE_PROOF_REQUIRED');
    // A signature by another key, over a real challenge.
    const other = await createDeviceKeys(generateIdentityKeyPair(), {
      userId: alice.client.userId,
      deviceId: alice.client.deviceId,
      cipherSuite: 1,
      expiresAt: Date.now() + 86_400_000,
    });
    const { challenge } = await api.loginChallenge();
    expect(
      await rejection(
        login({ challenge, signature: toBase64(await signDeviceLogin(other, challenge)) }),
      ),
    ).toMatchObject({ code: 'DEVICE_PROOF_REQUIRED' });
    // A challenge the server never issued.
    expect(
      (
        await rejection(
          login({
            challenge: 'made-up-challenge-0123456789',
            signature: toBase64(new Uint8Array(64)),
          }),
        )
      ).code,
    ).toBe('DEVICE_PROOF_REQUIRED');
    expect((await alice.client.devices()).map((d) => d.id)).toEqual([alice.client.deviceId]);

    // The real device signs in again with its key (the SDK does the challenge); a used challenge is
    // not accepted twice.
    const again = await RchatClient.login(
      { baseUrl: platform.url, storage: alice.storage },
      alice.client.username,
      PASSWORD,
    );
    expect(again.deviceId).toBe(alice.client.deviceId);
    const fresh = await api.loginChallenge();
    const keys = await createDeviceKeys(generateIdentityKeyPair(), {
      userId: alice.client.userId,
      deviceId: alice.client.deviceId,
      cipherSuite: 1,
      expiresAt: Date.now() + 86_400_000,
    });
    const signature = toBase64(await signDeviceLogin(keys, fresh.challenge));
    expect((await rejection(login({ challenge: fresh.challenge, signature }))).code).toBe(
      'DEVICE_PROOF_REQUIRED',
    );
    expect((await rejection(login({ challenge: fresh.challenge, signature }))).code).toBe(
      'DEVICE_PROOF_REQUIRED',
    );
  });
});

describe('attack C: a malicious server', () => {
  it('substituted KeyPackage: a device of another user offered for bob is not added, and alice is told', async () => {
    const evil = new MaliciousServer();
    const mallory = await registerUser(platform.url, 'mallory');
    const malloryKeys = await certify(mallory);
    const kp = await generateKeyPackage(malloryKeys.device);
    await mallory.api.uploadKeyPackages({ keyPackages: [toBase64(kp.keyPackage)] });
    const bob = await registerClient(platform.url, 'bob');
    evil.addToClaims(bob.client.userId, [
      {
        deviceId: mallory.deviceId,
        certificate: '',
        keyPackage: toBase64(kp.keyPackage),
        lastResort: false,
      },
    ]);
    const alice = await registerClient(platform.url, 'alice', { fetch: evil.fetch });
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    expect(
      alice.alerts.some((a) => a.kind === 'device-refused' && a.message.includes(mallory.id)),
    ).toBe(true);
    expect((await alice.client.conversationDevices(conv.id)).map((d) => d.userId).sort()).toEqual(
      [alice.client.userId, bob.client.userId].sort(),
    );
    await waitFor(
      async () => (await bob.client.conversations())[0]?.encryption === 'ready',
      'bob joins',
    );
    await alice.client.sendText(conv.id, 'only for bob');
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 1)).toEqual(['only for bob']);
    alice.client.stop();
    bob.client.stop();
  });

  it("forged join request: a non-member's device, or a device under a member's name, is never added", async () => {
    const evil = new MaliciousServer();
    const { alice, bob, conv } = await pair({ bobFetch: evil.fetch });
    const mallory = await registerUser(platform.url, 'mallory');
    const { device } = await certify(mallory);
    const kp = await generateKeyPackage(device);
    await mallory.api.uploadKeyPackages({ keyPackages: [toBase64(kp.keyPackage)] });

    // As mallory herself (not a member), and as "alice's new device" with mallory's KeyPackage in
    // the claim answer.
    evil.forgeEntry({
      type: 'join-request',
      conversationId: conv.id,
      userId: mallory.id,
      deviceId: mallory.deviceId,
    });
    evil.forgeEntry({
      type: 'join-request',
      conversationId: conv.id,
      userId: alice.client.userId,
      deviceId: mallory.deviceId,
    });
    evil.addToClaims(alice.client.userId, [
      {
        deviceId: mallory.deviceId,
        certificate: '',
        keyPackage: toBase64(kp.keyPackage),
        lastResort: false,
      },
    ]);
    await bob.client.catchUp();
    expect(
      bob.alerts.some((a) => a.kind === 'membership-refused' && a.conversationId === conv.id),
    ).toBe(true);
    expect(
      bob.alerts.some((a) => a.kind === 'device-refused' && a.message.includes(mallory.id)),
    ).toBe(true);
    expect((await bob.client.conversationDevices(conv.id)).map((d) => d.deviceId).sort()).toEqual(
      [alice.client.deviceId, bob.client.deviceId].sort(),
    );
    await bob.client.sendText(conv.id, 'still private');
    expect(await waitForTexts(alice, conv.id, bob.client.userId, 1)).toEqual(['still private']);
    alice.client.stop();
    bob.client.stop();
  });

  it("forged Welcome and forged message: a group with a non-member is refused; a message from outside is never shown as alice's", async () => {
    const evil = new MaliciousServer();
    const { alice, bob, conv } = await pair({ bobFetch: evil.fetch });
    const before = await bob.client.groupState(conv.id);
    // Mallory builds her own group under the conversation's group id, with one of bob's
    // KeyPackages.
    const mallory = await registerUser(platform.url, 'mallory');
    const { device } = await certify(mallory);
    const bobKeys = await mallory.api.userKeys(bob.client.userId);
    const mls = createMlsClient({
      trust: staticTrustSource({
        [bob.client.userId]: {
          identityKey: fromBase64(bobKeys.identityKey ?? '') ?? new Uint8Array(),
        },
      }),
      allowedCipherSuites: [1],
    });
    const claim = await mallory.api.claimKeyPackages(bob.client.userId);
    const fake = await createGroup(mls, device, { groupId: groupIdOf(conv.id) });
    const added = await addMembers(
      mls,
      fake,
      claim.keyPackages.map((k) => fromBase64(k.keyPackage) ?? new Uint8Array()),
    );
    if (added.kind !== 'ok' || !added.pending.welcome)
      throw new Error(`mallory could not build her group: ${added.kind}`);
    const joined = confirmCommit(added.pending);
    const message = await encryptMessage(
      mls,
      joined,
      encodeEnvelope(textEnvelope('I am alice, trust me', 'forged-1', Date.now())),
    );
    evil.forgeEntry({
      type: 'welcome',
      conversationId: conv.id,
      epoch: 50,
      welcome: toBase64(added.pending.welcome),
      deviceIds: [bob.client.deviceId],
      senderUserId: alice.client.userId,
      senderDeviceId: alice.client.deviceId,
    });
    evil.forgeEntry({
      type: 'message',
      message: {
        id: '00000000-0000-4000-8000-00000000beef',
        conversationId: conv.id,
        seq: 90,
        senderUserId: alice.client.userId,
        senderDeviceId: alice.client.deviceId,
        txnId: 'forged-1',
        ciphertext: toBase64(message.message),
        epoch: Number(joined.epoch),
        createdAt: new Date().toISOString(),
      },
    });
    await bob.client.catchUp();

    expect(
      bob.alerts.some((a) => a.kind === 'membership-refused' && a.conversationId === conv.id),
    ).toBe(true);
    expect((await bob.client.groupState(conv.id))?.epoch).toBe(before?.epoch);
    expect((await bob.client.conversationDevices(conv.id)).map((d) => d.userId)).not.toContain(
      mallory.id,
    );
    const forgedShown = bob.received.find((m) => m.clientMsgId === 'forged-1' || m.seq === 90);
    expect(forgedShown?.content.kind).toBe('undecryptable');
    expect(texts(bob, conv.id)).not.toContain('I am alice, trust me');
    // The real conversation goes on.
    await alice.client.sendText(conv.id, 'the real alice');
    await waitFor(() => texts(bob, conv.id).includes('the real alice'), "alice's next message");
    alice.client.stop();
    bob.client.stop();
  });
});
