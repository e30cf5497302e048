import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerClient, waitForTexts, texts, type TestClient } from '../support/clients.ts';
import { PASSWORD, waitFor } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

describe('several devices per user (SDK)', () => {
  it('a new device given the identity key joins every conversation; removing it cuts it off; the safety number never changes', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    const deviceEvents: string[] = [];
    alice.client.on('devices', (c) =>
      deviceEvents.push(`${c.added.length} added, ${c.removed.length} removed`),
    );
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    await alice.client.sendText(conv.id, 'before the second device');
    await waitForTexts(bob, conv.id, alice.client.userId, 1);
    const safetyBefore = await alice.client.safetyNumber(conv.id);

    // Bob's second device receives the identity key (over the link channel) and is added by his
    // first device.
    const storage = createMemoryStorage();
    const tablet = await RchatClient.loginWithIdentity(
      { baseUrl: platform.url, storage, deviceName: 'tablet' },
      bob.client.username,
      PASSWORD,
      bob.client.identityKeyPair,
    );
    const tabletSeen: TestClient = {
      client: tablet,
      storage,
      received: [],
      warnings: [],
      alerts: [],
    };
    tablet.on('message', (m) => tabletSeen.received.push(m));
    const tabletStatus: string[] = [];
    tablet.on('status', (st) => tabletStatus.push(st));
    await tablet.start();
    deviceEvents.length = 0; // alice's own commit that started the conversation was a device event too
    expect(await bob.client.addDeviceToConversations(tablet.deviceId)).toBe(1);
    await waitFor(() => deviceEvents.includes('1 added, 0 removed'), 'alice sees the added device');
    await waitFor(
      async () => (await tablet.conversations())[0]?.encryption === 'ready',
      'the tablet joins from its Welcome',
    );

    await alice.client.sendText(conv.id, 'to both of your devices');
    expect(await waitForTexts(tabletSeen, conv.id, alice.client.userId, 1)).toEqual([
      'to both of your devices',
    ]);
    expect(texts(bob, conv.id, alice.client.userId)).toEqual([
      'before the second device',
      'to both of your devices',
    ]);
    const safetyAfterAdd = await alice.client.safetyNumber(conv.id);
    expect(safetyAfterAdd.digits).toBe(safetyBefore.digits);
    expect(safetyAfterAdd.identityKeyChanged).toBe(false);

    // Bob removes the tablet: it is revoked and removed from the group.
    const warnings: string[] = [];
    tablet.on('warning', (w) => warnings.push(w.message));
    await bob.client.removeDevice(tablet.deviceId);
    await waitFor(
      () => deviceEvents.includes('0 added, 1 removed'),
      'alice sees the removed device',
    );
    await alice.client.sendText(conv.id, 'after the tablet was removed');
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 3)).toContain(
      'after the tablet was removed',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(tabletSeen, conv.id, alice.client.userId)).toEqual(['to both of your devices']);
    expect((await bob.client.devices()).map((d) => d.id)).not.toContain(tablet.deviceId);
    expect((await alice.client.safetyNumber(conv.id)).digits).toBe(safetyBefore.digits);
    // The removed device's stream ends for good instead of retrying forever.
    await waitFor(
      () => tabletStatus.at(-1) === 'closed',
      'the removed device to stop reconnecting',
    );
    tablet.stop();
    alice.client.stop();
    bob.client.stop();
  });

  it('signing in on a device without keys says it is a new device and leaves no device behind', async () => {
    const bob = await registerClient(platform.url, 'bob');
    const before = (await bob.client.devices()).length;
    const e: unknown = await RchatClient.login(
      { baseUrl: platform.url, storage: createMemoryStorage() },
      bob.client.username,
      PASSWORD,
    ).then(
      () => null,
      (err: unknown) => err,
    );
    expect((e as { code?: string } | null)?.code).toBe('NEW_DEVICE');
    expect((await bob.client.devices()).length).toBe(before);
    bob.client.stop();
  });
});
