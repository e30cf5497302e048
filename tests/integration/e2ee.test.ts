import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerClient, reopen, sendNow, waitForTexts } from '../support/clients.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

describe('end-to-end encrypted messaging between two SDK clients', () => {
  it('starts a conversation with a user who has not been online since registering, then 100 messages both ways, then offline catch-up', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    // Bob registered and went away: only his published KeyPackages let alice add him.
    bob.client.stop();
    await alice.client.start();
    const conv = await alice.client.startConversation({ username: bob.client.username });
    expect(conv.encryption).toBe('ready');
    const first = await sendNow(alice.client, conv.id, 'hello bob, this is the first message');
    expect(first.status).toBe('sent');

    await bob.client.start();
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 1)).toEqual([
      'hello bob, this is the first message',
    ]);
    expect((await bob.client.conversations()).find((c) => c.id === conv.id)?.encryption).toBe(
      'ready',
    );

    const expectedFromAlice = ['hello bob, this is the first message'];
    const expectedFromBob: string[] = [];
    for (let i = 0; i < 50; i++) {
      const a = `alice ${i}`;
      const b = `bob ${i}`;
      expectedFromAlice.push(a);
      expectedFromBob.push(b);
      await Promise.all([alice.client.sendText(conv.id, a), bob.client.sendText(conv.id, b)]);
    }
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 51)).toEqual(expectedFromAlice);
    expect(await waitForTexts(alice, conv.id, bob.client.userId, 50)).toEqual(expectedFromBob);

    bob.client.stop();
    const offline = Array.from({ length: 20 }, (_, i) => `while you were away ${i}`);
    for (const text of offline) await alice.client.sendText(conv.id, text);
    const bobAgain = await reopen(platform.url, bob);
    await bobAgain.client.start();
    expect(await waitForTexts(bobAgain, conv.id, alice.client.userId, 20)).toEqual(offline);

    // History pages come from the device's own store of plaintext, oldest first.
    const page = await bobAgain.client.history(conv.id, { limit: 5 });
    expect(
      page.messages.map((m) => (m.content.kind === 'text' ? m.content.text : m.content.kind)),
    ).toEqual(offline.slice(-5));
    const older = await bobAgain.client.history(conv.id, {
      limit: 100,
      before: page.nextBefore ?? 0,
    });
    expect(older.messages.filter((m) => m.content.kind !== 'text')).toEqual([]);
    expect(await waitForTexts(alice, conv.id, alice.client.userId, 71)).toHaveLength(71);
    alice.client.stop();
    bobAgain.client.stop();
  });

  it('history read while the stream is still catching up shows every message decrypted, none as unavailable', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    bob.client.stop();
    await alice.client.start();
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    const sent = Array.from({ length: 40 }, (_, i) => `catch-up ${i}`);
    for (const text of sent) await alice.client.sendText(conv.id, text);
    expect(await alice.client.flushOutbox()).toEqual([]);
    const bobAgain = await reopen(platform.url, bob);
    const starting = bobAgain.client.start();
    const page = await bobAgain.client.history(conv.id, { limit: 100 });
    expect(
      page.messages.map((m) => (m.content.kind === 'text' ? m.content.text : m.content.kind)),
    ).toEqual(sent);
    await starting;
    alice.client.stop();
    bobAgain.client.stop();
  });
});
