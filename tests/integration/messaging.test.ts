import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  b64,
  listen,
  loginDevice,
  registerUser,
  unb64,
  waitFor,
  type TestUser,
} from '../support/users.ts';

let platform: Platform;
let alice: TestUser;
let bob: TestUser;
let conversationId: string;

beforeAll(async () => {
  platform = await startPlatform();
  alice = await registerUser(platform.url, 'alice');
  bob = await registerUser(platform.url, 'bob');
  conversationId = (await alice.api.createConversation(bob.id)).id;
});
afterAll(async () => platform?.close());

describe('conversations and messages', () => {
  it('returns the same direct conversation for the same pair, from either side', async () => {
    const again = await alice.api.createConversation(bob.id);
    const fromBob = await bob.api.createConversation(alice.id);
    expect(again.id).toBe(conversationId);
    expect(fromBob.id).toBe(conversationId);
    expect(fromBob.members.map((m) => m.username).sort()).toEqual(
      [alice.username, bob.username].sort(),
    );
  });

  it('pages history newest first with a cursor, and counts unread messages until read', async () => {
    const carol = await registerUser(platform.url, 'carol');
    const conv = await carol.api.createConversation(bob.id);
    // A member of a conversation with nothing in it gets an empty page, not an error.
    expect(await bob.api.history(conv.id, { limit: 3 })).toEqual({
      messages: [],
      nextBefore: null,
    });
    for (let i = 1; i <= 7; i++)
      await carol.api.sendMessage(conv.id, { txnId: `h${i}`, ciphertext: b64(`m${i}`) });

    const page1 = await bob.api.history(conv.id, { limit: 3 });
    expect(page1.messages.map((m) => unb64(m.ciphertext))).toEqual(['m7', 'm6', 'm5']);
    expect(page1.messages[0]).toMatchObject({
      conversationId: conv.id,
      seq: 7,
      senderUserId: carol.id,
      txnId: 'h7',
      epoch: null,
    });
    expect(Date.parse(page1.messages[0]?.createdAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const page2 = await bob.api.history(conv.id, { limit: 3, before: page1.nextBefore ?? 0 });
    expect(page2.messages.map((m) => unb64(m.ciphertext))).toEqual(['m4', 'm3', 'm2']);
    const page3 = await bob.api.history(conv.id, { limit: 3, before: page2.nextBefore ?? 0 });
    expect(page3.messages.map((m) => unb64(m.ciphertext))).toEqual(['m1']);
    expect(page3.nextBefore).toBeNull();

    const listed = (await bob.api.conversations()).find((c) => c.id === conv.id);
    expect(listed?.unreadCount).toBe(7);
    expect((await carol.api.conversations()).find((c) => c.id === conv.id)?.unreadCount).toBe(0);
    const marked = await bob.api.markRead(conv.id, 5);
    expect(marked.unreadCount).toBe(2);
    // Markers never move back, and never past the newest message.
    expect((await bob.api.markRead(conv.id, 2)).readSeq).toBe(5);
    expect((await bob.api.markRead(conv.id, 999)).readSeq).toBe(7);
    expect((await bob.api.conversations()).find((c) => c.id === conv.id)?.unreadCount).toBe(0);
  });

  it('lists conversations by latest activity', async () => {
    const dave = await registerUser(platform.url, 'dave');
    const first = await dave.api.createConversation(alice.id);
    const second = await dave.api.createConversation(bob.id);
    await dave.api.sendMessage(first.id, { txnId: 'x1', ciphertext: b64('hi') });
    expect((await dave.api.conversations()).map((c) => c.id)).toEqual([first.id, second.id]);
    await dave.api.sendMessage(second.id, { txnId: 'x2', ciphertext: b64('hi') });
    expect((await dave.api.conversations()).map((c) => c.id)).toEqual([second.id, first.id]);
  });

  it('stores exactly one message when the same txnId is sent five times concurrently', async () => {
    const before = (await alice.api.conversation(conversationId)).lastSeq;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        alice.api.sendMessage(conversationId, { txnId: 'dup-1', ciphertext: b64('once') }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const after = await alice.api.conversation(conversationId);
    expect(after.lastSeq).toBe(before + 1);
    const history = await bob.api.history(conversationId, { limit: 5 });
    expect(history.messages.filter((m) => m.txnId === 'dup-1')).toHaveLength(1);
    const inbox = await bob.api.inbox(0, 1000);
    expect(
      inbox.entries.filter((e) => e.type === 'message' && e.message.txnId === 'dup-1'),
    ).toHaveLength(1);
  });
});

describe('real-time delivery', () => {
  it('delivers to every device of the recipient, in inbox order, exactly once', async () => {
    const bobPhone = await loginDevice(platform.url, bob.username, 'phone');
    const laptop = listen(bob);
    const phone = listen(bobPhone);
    const mine = listen(alice);
    await Promise.all([laptop.ready, phone.ready, mine.ready]);
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) {
      const text = `live-${i}`;
      sent.push(text);
      await (i % 2 ? bob : alice).api.sendMessage(conversationId, {
        txnId: `live${i}`,
        ciphertext: b64(text),
      });
    }
    const texts = (entries: typeof laptop.entries) =>
      entries.flatMap((e) => (e.type === 'message' ? [unb64(e.message.ciphertext)] : []));
    await waitFor(
      () =>
        texts(laptop.entries).length >= 30 &&
        texts(phone.entries).length >= 30 &&
        texts(mine.entries).length >= 30,
      'all 30 messages on 3 devices',
    );
    for (const d of [laptop, phone, mine]) {
      expect(texts(d.entries)).toEqual(sent);
      const seqs = d.entries.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      d.stream.close();
    }
    // Both devices of one user see the same sequence numbers.
    expect(laptop.entries.map((e) => e.seq)).toEqual(phone.entries.map((e) => e.seq));
  });

  it('a device that was offline gets exactly what it missed when it resumes', async () => {
    const first = listen(bob);
    await first.ready;
    await alice.api.sendMessage(conversationId, { txnId: 'off-0', ciphertext: b64('before') });
    await waitFor(
      () => first.entries.some((e) => e.type === 'message' && e.message.txnId === 'off-0'),
      'first message',
    );
    first.stream.close();
    const cursor = first.stream.lastSeq ?? 0;

    for (let i = 1; i <= 20; i++)
      await alice.api.sendMessage(conversationId, {
        txnId: `off-${i}`,
        ciphertext: b64(`missed ${i}`),
      });
    const resumed = listen(bob, cursor);
    await resumed.ready;
    await alice.api.sendMessage(conversationId, { txnId: 'off-21', ciphertext: b64('after') });
    await waitFor(
      () => resumed.entries.some((e) => e.type === 'message' && e.message.txnId === 'off-21'),
      'live message after resume',
    );
    resumed.stream.close();
    const txns = resumed.entries.flatMap((e) => (e.type === 'message' ? [e.message.txnId] : []));
    expect(txns).toEqual([...Array.from({ length: 20 }, (_, i) => `off-${i + 1}`), 'off-21']);
    expect(resumed.entries[0]?.seq).toBe(cursor + 1);
  });

  it('a new conversation appears live for the peer, and read markers reach my other devices', async () => {
    const erin = await registerUser(platform.url, 'erin');
    const erinPhone = await loginDevice(platform.url, erin.username, 'phone');
    const erinStream = listen(erin);
    const phoneStream = listen(erinPhone);
    await Promise.all([erinStream.ready, phoneStream.ready]);
    const conv = await alice.api.createConversation(erin.id);
    await alice.api.sendMessage(conv.id, { txnId: 'e1', ciphertext: b64('hey erin') });
    await waitFor(() => erinStream.entries.some((e) => e.type === 'message'), 'message for erin');
    expect(erinStream.entries[0]?.type).toBe('conversation');
    await erin.api.markRead(conv.id, 1);
    await waitFor(
      () => phoneStream.entries.some((e) => e.type === 'read'),
      'read marker on the other device',
    );
    const read = phoneStream.entries.find((e) => e.type === 'read');
    expect(read?.type === 'read' && read.readSeq).toBe(1);
    erinStream.stream.close();
    phoneStream.stream.close();
  });
});
