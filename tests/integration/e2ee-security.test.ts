import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeviceKeys,
  deviceCertificateToBase64,
  encodeDeviceCertificate,
  generateIdentityKeyPair,
  generateKeyPackage,
  toBase64,
} from '@rchat/crypto';
import { sql } from '@rchat/server-kit';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  registerClient,
  sendNow,
  texts,
  waitForTexts,
  type TestClient,
} from '../support/clients.ts';
import { snapshot } from '../support/db-snapshot.ts';
import { waitFor } from '../support/users.ts';

let platform: Platform;
const requestBodies: string[] = [];
/** Every request body a client sends: what the server receives. */
const recordingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === 'string') requestBodies.push(init.body);
  return fetch(input, init);
};

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

async function pair(): Promise<{ alice: TestClient; bob: TestClient; conversationId: string }> {
  const alice = await registerClient(platform.url, 'alice', { fetch: recordingFetch });
  const bob = await registerClient(platform.url, 'bob', { fetch: recordingFetch });
  await Promise.all([alice.client.start(), bob.client.start()]);
  const conv = await alice.client.startConversation({ userId: bob.client.userId });
  return { alice, bob, conversationId: conv.id };
}

describe('what the server sees', () => {
  it('never receives or stores the plaintext: markers appear in no table, column or request body', async () => {
    const { alice, bob, conversationId } = await pair();
    const markers = Array.from({ length: 4 }, () => `MARKER-${randomUUID()}`);
    await alice.client.sendText(conversationId, `first ${markers[0]}`);
    await bob.client.sendText(conversationId, `reply ${markers[1]}`);
    await alice.client.sendText(conversationId, `${markers[2]} and ${markers[3]}`);
    await waitForTexts(bob, conversationId, alice.client.userId, 2);
    await waitForTexts(alice, conversationId, bob.client.userId, 1);
    expect(texts(bob, conversationId, alice.client.userId)).toEqual([
      `first ${markers[0]}`,
      `${markers[2]} and ${markers[3]}`,
    ]);

    const stored = JSON.stringify(await snapshot(platform.users.database, platform.chat.database));
    expect(stored.length).toBeGreaterThan(1000);
    expect(requestBodies.length).toBeGreaterThan(5);
    for (const marker of markers) {
      for (const form of [
        marker,
        Buffer.from(marker).toString('base64'),
        Buffer.from(marker).toString('hex'),
      ]) {
        expect(stored).not.toContain(form);
        expect(requestBodies.some((b) => b.includes(form))).toBe(false);
      }
    }
    alice.client.stop();
    bob.client.stop();
  });
});

describe('tampering', () => {
  it('a flipped bit in a stored ciphertext makes that message undecryptable; the others still decrypt', async () => {
    const { alice, bob, conversationId } = await pair();
    bob.client.stop();
    for (const text of ['one', 'two', 'three']) await sendNow(alice.client, conversationId, text);
    // The operator (or an attacker in the database) flips one bit of message 2.
    await platform.chat.database.rows(
      sql`update messages set ciphertext = overlay(ciphertext placing set_byte(substring(ciphertext from 40 for 1), 0, get_byte(substring(ciphertext from 40 for 1), 0) # 1) from 40 for 1) where conversation_id = ${conversationId} and seq = 2`,
    );
    await bob.client.start();
    await waitForTexts(bob, conversationId, alice.client.userId, 3);
    const got = bob.received
      .filter((m) => m.conversationId === conversationId && m.senderUserId === alice.client.userId)
      .sort((a, b) => a.seq - b.seq);
    expect(got.map((m) => m.content.kind)).toEqual(['text', 'undecryptable', 'text']);
    expect(got[0]?.content).toEqual({ kind: 'text', text: 'one' });
    expect(got[2]?.content).toEqual({ kind: 'text', text: 'three' });
    expect(got[1]?.content.kind === 'undecryptable' && got[1].content.reason).toMatch(
      /altered|damaged/,
    );
    alice.client.stop();
    bob.client.stop();
  });

  it('a replayed message is rejected', async () => {
    const { alice, bob, conversationId } = await pair();
    await alice.client.sendText(conversationId, 'pay 10 euros');
    await waitForTexts(bob, conversationId, alice.client.userId, 1);
    const [original] = (await alice.client.api.history(conversationId, { limit: 1 })).messages;
    // The same ciphertext delivered again as a new message (a replaying server or network).
    await alice.client.api.sendMessage(conversationId, {
      txnId: 'replayed',
      ciphertext: original?.ciphertext ?? '',
    });
    await waitFor(
      () =>
        bob.received.filter(
          (m) => m.conversationId === conversationId && m.senderUserId === alice.client.userId,
        ).length === 2,
      'the replay to arrive',
    );
    const replay = bob.received.find((m) => m.conversationId === conversationId && m.seq === 2);
    expect(replay?.content.kind).toBe('undecryptable');
    expect(texts(bob, conversationId, alice.client.userId)).toEqual([
      'pay 10 euros',
      '<undecryptable>',
    ]);
    alice.client.stop();
    bob.client.stop();
  });

  it('refuses to add a device whose certificate another identity signed, and says why; the real devices still get in', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    await Promise.all([alice.client.start(), bob.client.start()]);
    // A malicious server slips a device into bob's list, certified by an identity that is not
    // bob's.
    const mallory = generateIdentityKeyPair();
    const fakeDeviceId = randomUUID();
    const fake = await createDeviceKeys(mallory, {
      userId: bob.client.userId,
      deviceId: fakeDeviceId,
      cipherSuite: 1,
      expiresAt: Date.now() + 86_400_000,
    });
    const kp = await generateKeyPackage(fake);
    const db = platform.users.database;
    await db.rows(
      sql`insert into devices (id, user_id, name, certificate) values (${fakeDeviceId}, ${bob.client.userId}, 'evil', ${Buffer.from(encodeDeviceCertificate(fake.certificate))})`,
    );
    await db.rows(
      sql`insert into key_packages (id, device_id, user_id, key_package) values (${randomUUID()}, ${fakeDeviceId}, ${bob.client.userId}, ${Buffer.from(kp.keyPackage)})`,
    );
    expect(
      (await alice.client.api.userKeys(bob.client.userId)).devices.map((d) => d.certificate),
    ).toContain(deviceCertificateToBase64(fake.certificate));

    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    expect(alice.warnings.join('\n')).toMatch(
      new RegExp(`${fakeDeviceId}[\\s\\S]*signed by identity key`),
    );
    await alice.client.sendText(conv.id, 'only for bob');
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 1)).toEqual(['only for bob']);
    expect(toBase64(mallory.publicKey)).not.toBe(
      (await alice.client.api.userKeys(bob.client.userId)).identityKey,
    );
    alice.client.stop();
    bob.client.stop();
  });
});

describe('commit sequencing', () => {
  it('two devices updating keys in the same epoch: one wins, the other retries, all end with equal epoch authenticators', async () => {
    const { alice, bob, conversationId } = await pair();
    await bob.client.idle();
    const before = await alice.client.groupState(conversationId);
    const [a, b] = await Promise.all([
      alice.client.rotateKeys(conversationId),
      bob.client.rotateKeys(conversationId),
    ]);
    expect(new Set([a, b]).size).toBe(2); // one got epoch n+1, the other (after retrying) n+2
    await alice.client.syncKeys(conversationId);
    await bob.client.syncKeys(conversationId);
    const [sa, sb] = [
      await alice.client.groupState(conversationId),
      await bob.client.groupState(conversationId),
    ];
    expect(sa?.epoch).toBe((before?.epoch ?? 0n) + 2n);
    expect(sb?.epoch).toBe(sa?.epoch);
    expect(toBase64(sa?.authenticator ?? new Uint8Array())).toBe(
      toBase64(sb?.authenticator ?? new Uint8Array([1])),
    );
    // And messages still flow both ways in the new epoch.
    await alice.client.sendText(conversationId, 'after the key update');
    await bob.client.sendText(conversationId, 'received');
    expect(await waitForTexts(bob, conversationId, alice.client.userId, 1)).toEqual([
      'after the key update',
    ]);
    expect(await waitForTexts(alice, conversationId, bob.client.userId, 1)).toEqual(['received']);
    alice.client.stop();
    bob.client.stop();
  });

  it('a sending device refreshes its keys on schedule (post-compromise security), and messages keep flowing', async () => {
    const alice = await registerClient(platform.url, 'alice', { keyRotationIntervalMs: 1 });
    const bob = await registerClient(platform.url, 'bob');
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    const start = (await alice.client.groupState(conv.id))?.epoch ?? 0n;
    for (const text of ['a', 'b', 'c']) {
      await sendNow(alice.client, conv.id, text);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await alice.client.groupState(conv.id))?.epoch).toBe(start + 2n);
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 3)).toEqual(['a', 'b', 'c']);
    await bob.client.idle();
    expect((await bob.client.groupState(conv.id))?.epoch).toBe(start + 2n);
    alice.client.stop();
    bob.client.stop();
  });
});
