import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@rchat/sdk';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  registerClient,
  reopen,
  texts,
  waitForTexts,
  type TestClient,
} from '../support/clients.ts';
import { PASSWORD, waitFor } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

/**
 * A client's way to the server that can go down, refuse message sends, or lose the server's answer
 * to one.
 */
function unreliableNetwork() {
  const state = { offline: false, refuseSends: false, loseAnswers: 0 };
  const isSend = (url: string, init?: RequestInit) =>
    init?.method === 'POST' && /\/conversations\/[^/]+\/messages$/.test(new URL(url).pathname);
  const fetchVia: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (state.offline || (state.refuseSends && isSend(url, init)))
      throw new TypeError('fetch failed');
    const res = await fetch(input, init);
    if (state.loseAnswers > 0 && isSend(url, init)) {
      state.loseAnswers--;
      throw new TypeError('fetch failed (the answer was lost)');
    }
    return res;
  };
  return { fetch: fetchVia, state };
}

const textOf = (m: ChatMessage) =>
  m.content.kind === 'text' ? m.content.text : `<${m.content.kind}>`;

/** What the server stored in the conversation, oldest first. */
async function stored(reader: TestClient, conversationId: string) {
  return [...(await reader.client.api.history(conversationId, { limit: 100 })).messages].reverse();
}

/**
 * Waits until the message shows as queued (its attempt failed and nothing retries it yet: the
 * client is not started).
 */
const queuedNow = (t: TestClient, m: ChatMessage) =>
  waitFor(
    () => t.received.some((r) => r.clientMsgId === m.clientMsgId && r.status === 'queued'),
    `"${textOf(m)}" queued`,
  );

async function conversation(alice: TestClient, bob: TestClient): Promise<string> {
  await bob.client.start();
  const conv = await alice.client.startConversation({ userId: bob.client.userId });
  return conv.id;
}

describe('the outbox', () => {
  it('keeps messages typed while the server is unreachable; a new client on the same storage sends them all, in order, once', async () => {
    const net = unreliableNetwork();
    const alice = await registerClient(platform.url, 'alice', { fetch: net.fetch });
    const bob = await registerClient(platform.url, 'bob');
    await alice.client.start();
    const conv = await conversation(alice, bob);
    await alice.client.sendText(conv, 'before going offline');
    expect(await waitForTexts(bob, conv, alice.client.userId, 1)).toEqual(['before going offline']);

    net.state.offline = true;
    const typed = Array.from({ length: 12 }, (_, i) => `typed offline ${i}`);
    for (const text of typed) {
      // Answered from the device at once, never waiting for the network.
      expect((await alice.client.sendText(conv, text)).status).toMatch(/^(sending|queued)$/);
    }
    const left = await alice.client.flushOutbox();
    expect(left.map((m) => [textOf(m), m.status])).toEqual(typed.map((t) => [t, 'queued']));
    expect(alice.received.filter((m) => m.status === 'queued').map(textOf)).toEqual(typed);
    alice.client.stop(); // the tab is closed

    const again = await reopen(platform.url, alice);
    await again.client.start();
    expect(await waitForTexts(bob, conv, alice.client.userId, 13)).toEqual([
      'before going offline',
      ...typed,
    ]);
    expect(await again.client.flushOutbox()).toEqual([]);
    const onServer = await stored(bob, conv);
    expect(onServer).toHaveLength(13);
    expect(new Set(onServer.map((m) => m.txnId)).size).toBe(13);
    // Each keeps the id it was typed with, and alice's own history shows them sent, in typing
    // order.
    expect(onServer.slice(1).map((m) => m.txnId)).toEqual(left.map((m) => m.clientMsgId));
    expect((await again.client.history(conv)).messages.map((m) => [textOf(m), m.status])).toEqual(
      ['before going offline', ...typed].map((t) => [t, 'sent']),
    );
    again.client.stop();
    bob.client.stop();
  });

  it('a resend after the server stored a message but its answer was lost is stored once', async () => {
    const net = unreliableNetwork();
    const alice = await registerClient(platform.url, 'alice', { fetch: net.fetch });
    const bob = await registerClient(platform.url, 'bob');
    const conv = await conversation(alice, bob);
    // Alice's stream is not running, so only the resend can find out that the message landed.
    alice.client.stop();
    net.state.loseAnswers = 1;
    const queued = await alice.client.sendText(conv, 'stored once');
    await queuedNow(alice, queued);
    expect((await stored(bob, conv)).map((m) => m.txnId)).toEqual([queued.clientMsgId]);

    expect(await alice.client.flushOutbox()).toEqual([]);
    const onServer = await stored(bob, conv);
    expect(onServer.map((m) => m.txnId)).toEqual([queued.clientMsgId]);
    expect(alice.received.find((m) => m.clientMsgId === queued.clientMsgId)).toMatchObject({
      status: 'sent',
      seq: onServer[0]?.seq,
    });
    expect(await waitForTexts(bob, conv, alice.client.userId, 1)).toEqual(['stored once']);
    bob.client.stop();
  });

  it('encrypts a queued message again, under the same txnId, when the conversation moved to a new epoch', async () => {
    const net = unreliableNetwork();
    const alice = await registerClient(platform.url, 'alice', { fetch: net.fetch });
    const bob = await registerClient(platform.url, 'bob');
    const conv = await conversation(alice, bob);
    alice.client.stop();
    const epoch = Number((await alice.client.groupState(conv))?.epoch);

    // An attempt the server never got, then a key change: the saved ciphertext is for a past epoch.
    net.state.refuseSends = true;
    const first = await alice.client.sendText(conv, 'after the key change');
    expect(await alice.client.flushOutbox()).toMatchObject([
      { clientMsgId: first.clientMsgId, status: 'queued' },
    ]);
    await waitFor(async () => (await bob.client.groupState(conv)) !== null, "bob's keys");
    expect(await bob.client.rotateKeys(conv)).toBe(BigInt(epoch + 1));
    net.state.refuseSends = false;
    expect(await alice.client.flushOutbox()).toEqual([]);
    expect((await stored(bob, conv)).map((m) => [m.txnId, m.epoch])).toEqual([
      [first.clientMsgId, epoch + 1],
    ]);

    // An attempt that landed but whose answer was lost, then a key change: the new ciphertext is
    // refused
    // under the taken txnId, and the inbox confirms the message that landed.
    net.state.loseAnswers = 1;
    const second = await alice.client.sendText(conv, 'landed before the key change');
    await queuedNow(alice, second);
    await bob.client.rotateKeys(conv);
    expect(await alice.client.flushOutbox()).toMatchObject([
      { clientMsgId: second.clientMsgId, status: 'sending' },
    ]);
    await alice.client.start();
    await waitFor(
      () => alice.received.some((m) => m.clientMsgId === second.clientMsgId && m.status === 'sent'),
      'the inbox confirms it',
    );
    expect(await alice.client.flushOutbox()).toEqual([]);
    expect((await stored(bob, conv)).map((m) => [m.txnId, m.epoch])).toEqual([
      [first.clientMsgId, epoch + 1],
      [second.clientMsgId, epoch + 1],
    ]);
    expect(await waitForTexts(bob, conv, alice.client.userId, 2)).toEqual([
      'after the key change',
      'landed before the key change',
    ]);
    alice.client.stop();
    bob.client.stop();
  });

  it('a refusal that stands keeps the message failed, with its reason, across retries and restarts; other conversations go on', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    const carol = await registerClient(platform.url, 'carol');
    await alice.client.start();
    const toBob = await conversation(alice, bob);
    const toCarol = await conversation(alice, carol);
    await bob.client.deleteAccount(PASSWORD);
    // The deletion reaches chat over the bus (NATS when scaled out); alice's device learns of it
    // from its inbox.
    await waitFor(
      async () =>
        (await alice.client.conversations()).some((c) => c.id === toBob && c.peer.deleted),
      'alice to learn of the deletion',
    );

    const refused = await alice.client.sendText(toBob, 'to a deleted account');
    await alice.client.sendText(toCarol, 'to carol');
    const left = await alice.client.flushOutbox();
    expect(left).toMatchObject([
      { clientMsgId: refused.clientMsgId, status: 'failed', failure: { code: 'PEER_DELETED' } },
    ]);
    expect(await waitForTexts(carol, toCarol, alice.client.userId, 1)).toEqual(['to carol']);
    // Not retried by itself.
    expect(await alice.client.flushOutbox()).toMatchObject([{ status: 'failed' }]);
    expect((await alice.client.retry(refused.clientMsgId)).status).toBe('sending');
    expect(await alice.client.flushOutbox()).toMatchObject([
      { clientMsgId: refused.clientMsgId, status: 'failed', failure: { code: 'PEER_DELETED' } },
    ]);
    alice.client.stop();

    const again = await reopen(platform.url, alice);
    await again.client.start();
    expect(await again.client.flushOutbox()).toMatchObject([
      { clientMsgId: refused.clientMsgId, status: 'failed' },
    ]);
    expect((await again.client.history(toBob)).messages.at(-1)).toMatchObject({
      clientMsgId: refused.clientMsgId,
      status: 'failed',
    });
    again.client.stop();
    carol.client.stop();
  });

  it('sends by itself, in order, once the server is back', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    await alice.client.start();
    const conv = await conversation(alice, bob);
    await platform.stopListening();
    const typed = Array.from({ length: 5 }, (_, i) => `while the server is down ${i}`);
    try {
      for (const text of typed) await alice.client.sendText(conv, text);
      await waitFor(
        () =>
          typed.every((t) => alice.received.some((m) => textOf(m) === t && m.status === 'queued')),
        'shown as queued',
      );
    } finally {
      await platform.resumeListening();
    }
    expect(await waitForTexts(bob, conv, alice.client.userId, 5, 90_000)).toEqual(typed);
    await waitFor(
      () => texts(alice, conv, alice.client.userId).length === 5,
      'alice sees them sent',
      30_000,
    );
    expect((await stored(bob, conv)).map((m) => m.txnId)).toHaveLength(5);
    alice.client.stop();
    bob.client.stop();
  }, 120_000);
});
