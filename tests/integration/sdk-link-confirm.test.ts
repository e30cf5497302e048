import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerLinkOffer,
  encodeIdentityKeyPair,
  fromBase64,
  generateIdentityKeyPair,
  toBase64,
  type IdentityKeyPair,
  type LinkChannel,
} from '@rchat/crypto';
import {
  RchatApi,
  RchatClient,
  RchatError,
  createMemoryStorage,
  type ClientStorage,
} from '@rchat/sdk';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerClient, waitForTexts, type TestClient } from '../support/clients.ts';
import { PASSWORD, waitFor } from '../support/users.ts';

// Linking confirms on both ends: the signed-in device sends the account keys
// only after the new device's person confirmed the check code there too, and
// the new device uses no keys sealed before its own confirmation.

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

const codeOf = (e: unknown) => (e instanceof RchatError ? e.code : String(e));
const failure = (p: Promise<unknown>) => p.then(() => 'resolved', codeOf);
const relayText = (base64: string) =>
  JSON.parse(new TextDecoder().decode(fromBase64(base64))) as { t: string; publicKey?: string };

/**
 * What each device did on the link relay, in the order the requests were made: `poll`, or the type
 * of message posted.
 */
type RelayLog = { who: string; what: string }[];

function logRelay(log: RelayLog, who: string): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (/\/link\/sessions\/[^/]+\/messages/.test(url)) {
      const posted =
        init?.method === 'POST'
          ? (JSON.parse(String(init.body)) as { ciphertext: string })
          : undefined;
      log.push({ who, what: posted ? relayText(posted.ciphertext).t : 'poll' });
    }
    return fetch(input, init);
  };
}

const count = (log: RelayLog, who: string, what: string) =>
  log.filter((e) => e.who === who && e.what === what).length;

/** alice (relay requests logged) and bob in a conversation with one message. */
async function pair(
  log: RelayLog,
): Promise<{ alice: TestClient; bob: TestClient; conversationId: string }> {
  const alice = await registerClient(platform.url, 'alice', { fetch: logRelay(log, 'alice') });
  const bob = await registerClient(platform.url, 'bob');
  await Promise.all([alice.client.start(), bob.client.start()]);
  const conv = await alice.client.startConversation({ userId: bob.client.userId });
  await alice.client.sendText(conv.id, 'before linking');
  await waitForTexts(bob, conv.id, alice.client.userId, 1);
  return { alice, bob, conversationId: conv.id };
}

/**
 * Someone with alice's password, or the server itself: reads the relay and answers the new device
 * with its own channel.
 */
async function answerAsIntruder(
  username: string,
): Promise<{ api: RchatApi; sessionId: string; channel: LinkChannel }> {
  const api = new RchatApi({ baseUrl: platform.url });
  await api.login({ username, password: PASSWORD, device: { name: 'intruder' } });
  const [session] = (await api.linkSessions()).sessions;
  const offer = relayText((await api.linkMessages(session!.id)).messages[0]!.ciphertext);
  const { enc, channel } = await answerLinkOffer(session!.id, fromBase64(offer.publicKey!)!);
  await postRelay(api, session!.id, { t: 'answer', enc: toBase64(enc) });
  return { api, sessionId: session!.id, channel };
}

const postRelay = (api: RchatApi, sessionId: string, message: object) =>
  api.postLinkMessage(sessionId, toBase64(new TextEncoder().encode(JSON.stringify(message))));

async function postKeys(
  api: RchatApi,
  sessionId: string,
  channel: LinkChannel,
  identity: IdentityKeyPair,
): Promise<void> {
  const keys = new TextEncoder().encode(
    JSON.stringify({ t: 'keys', identity: toBase64(encodeIdentityKeyPair(identity)) }),
  );
  await postRelay(api, sessionId, { t: 'sealed', data: toBase64(await channel.seal(keys)) });
}

/** Everything a device keeps: after a refused link, nothing at all. */
const stored = (storage: ClientStorage) => storage.list('');

describe('linking confirms on both ends (SDK)', () => {
  it('the signed-in device sends no keys until the new device confirmed the check code', async () => {
    const log: RelayLog = [];
    const { alice, bob } = await pair(log);
    const link = await RchatClient.startLink(
      {
        baseUrl: platform.url,
        storage: createMemoryStorage(),
        deviceName: 'laptop',
        fetch: logRelay(log, 'laptop'),
      },
      alice.client.username,
      PASSWORD,
    );
    const answered = await alice.client.linkDevice(link.code);
    expect(await link.waitForCheckCode()).toBe(answered.checkCode);

    // Both wait: the new device for the keys, the signed-in device (its person confirmed) for the
    // new device.
    const completion = link.complete();
    let newDeviceConfirmed = false;
    const confirming = answered.confirm({
      onNewDeviceConfirmed: () => (newDeviceConfirmed = true),
    });
    const polled = count(log, 'alice', 'poll');
    await waitFor(
      () => count(log, 'alice', 'poll') >= polled + 3,
      'the signed-in device reads the relay while it waits',
    );
    expect(log.filter((e) => e.who === 'alice' && e.what !== 'poll').map((e) => e.what)).toEqual([
      'answer',
    ]);
    expect(newDeviceConfirmed).toBe(false);

    // The new device's person confirms: only now are the keys sent, and the link completes.
    await link.confirmCheckCode();
    const [laptop, result] = await Promise.all([completion, confirming]);
    expect(newDeviceConfirmed).toBe(true);
    expect(result).toEqual({ deviceId: laptop.deviceId, conversations: 1 });
    expect(laptop.identityKeyPair.publicKey).toEqual(alice.client.identityKeyPair.publicKey);
    const posted = log.filter((e) => e.what !== 'poll').map((e) => `${e.who} ${e.what}`);
    expect(posted).toEqual([
      'laptop offer',
      'alice answer',
      'laptop sealed',
      'alice sealed',
      'laptop sealed',
    ]);
    alice.client.stop();
    bob.client.stop();
  });

  it('a new device whose person says the codes differ leaves nothing behind on either side', async () => {
    const log: RelayLog = [];
    const { alice, bob, conversationId } = await pair(log);
    const devicesBefore = (await alice.client.devices()).map((d) => d.id).sort();
    const epochBefore = (await alice.client.groupState(conversationId))?.epoch;
    const storage = createMemoryStorage();
    const link = await RchatClient.startLink(
      { baseUrl: platform.url, storage, deviceName: 'phone' },
      alice.client.username,
      PASSWORD,
    );
    const answered = await alice.client.linkDevice(link.code);
    await link.waitForCheckCode();
    const completion = failure(link.complete());
    const confirming = failure(answered.confirm());

    await link.reject();
    expect(await completion).toBe('LINK_ABORTED');
    expect(await confirming).toBe('LINK_ABORTED');
    // The signed-in device sent nothing sealed and added no one; the new device is off the account
    // and holds nothing.
    expect(log.filter((e) => e.who === 'alice' && e.what !== 'poll').map((e) => e.what)).toEqual([
      'answer',
    ]);
    expect((await alice.client.devices()).map((d) => d.id).sort()).toEqual(devicesBefore);
    expect((await alice.client.groupState(conversationId))?.epoch).toBe(epochBefore);
    expect(await stored(storage)).toEqual([]);
    expect(await RchatClient.restore({ baseUrl: platform.url, storage })).toBeNull();
    await expect(link.confirmCheckCode()).rejects.toMatchObject({ code: 'LINK_ABORTED' });
    alice.client.stop();
    bob.client.stop();
  });

  it('keys a malicious relay injects before the new device confirmed are never used', async () => {
    const { alice, bob } = await pair([]);
    const username = alice.client.username;

    // 1. The server answers the new device with its own channel and at once sends keys of its
    // choosing.
    const log: RelayLog = [];
    const storage = createMemoryStorage();
    const link = await RchatClient.startLink(
      { baseUrl: platform.url, storage, deviceName: 'phone', fetch: logRelay(log, 'phone') },
      username,
      PASSWORD,
    );
    const intruder = await answerAsIntruder(username);
    await postKeys(intruder.api, intruder.sessionId, intruder.channel, generateIdentityKeyPair());
    expect(await link.waitForCheckCode()).toBe(intruder.channel.checkCode);
    let settled = false;
    const completion = failure(link.complete().finally(() => (settled = true)));
    const polled = count(log, 'phone', 'poll');
    await waitFor(
      () => count(log, 'phone', 'poll') >= polled + 3,
      'the new device reads past the injected keys',
    );
    expect(settled).toBe(false);
    expect(await stored(storage)).not.toContainEqual(expect.stringMatching(/identity|device/));
    // The person sees a check code that alice's device does not show, and says so.
    await link.reject();
    expect(await completion).toBe('LINK_ABORTED');
    expect(await stored(storage)).toEqual([]);

    // 2. Keys that arrive early on the very channel the person then confirms are dropped too: only
    // keys sealed
    //    after the confirmation count. (The early ones here are a stranger's; the later ones are
    // alice's.)
    const second = createMemoryStorage();
    const relinked = await RchatClient.startLink(
      { baseUrl: platform.url, storage: second, deviceName: 'tablet' },
      username,
      PASSWORD,
    );
    const early = await answerAsIntruder(username);
    await postKeys(early.api, early.sessionId, early.channel, generateIdentityKeyPair());
    expect(await relinked.waitForCheckCode()).toBe(early.channel.checkCode);
    // Confirmed before complete() first reads the relay: the early keys are dropped by their place
    // in it alone.
    await relinked.confirmCheckCode();
    const completing = relinked.complete();
    await postKeys(early.api, early.sessionId, early.channel, alice.client.identityKeyPair);
    const tablet = await completing;
    expect(tablet.identityKeyPair.publicKey).toEqual(alice.client.identityKeyPair.publicKey);
    tablet.stop();
    alice.client.stop();
    bob.client.stop();
  });
});
