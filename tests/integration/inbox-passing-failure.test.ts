import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerClient, sendNow, waitForTexts } from '../support/clients.ts';
import { waitFor } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

/**
 * An inbox entry whose processing fails because the server could not be
 * reached for a moment (the Welcome's members are checked against the key
 * directory) is received again later, never passed over: passing it over would
 * leave the device without the conversation's keys, and every later message
 * unreadable.
 */
describe('an inbox entry that fails for a passing reason', () => {
  it('is processed again once the directory answers: the Welcome is joined and the messages are read', async () => {
    const down = { directory: true, failed: [] as string[] };
    const bobFetch: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (down.directory && /^\/users\/[^/]+\/keys$/.test(url.pathname)) {
        down.failed.push(url.pathname);
        throw new TypeError('fetch failed');
      }
      return fetch(input, init);
    };
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob', { fetch: bobFetch });
    await bob.client.start();
    await alice.client.start();

    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    const aliceKeys = `/users/${alice.client.userId}/keys`;
    await waitFor(
      () => down.failed.includes(aliceKeys),
      "bob's device checks alice's device in the Welcome",
    );
    await sendNow(alice.client, conv.id, 'sent while bob could not check');
    down.directory = false;

    expect(await waitForTexts(bob, conv.id, alice.client.userId, 1)).toEqual([
      'sent while bob could not check',
    ]);
    expect((await bob.client.groupState(conv.id))?.epoch).toBeDefined();
    alice.client.stop();
    bob.client.stop();
  });
});
