import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../storage/memory-storage.ts';
import { SealedStore } from '../storage/storage.ts';
import { Outbox, OUTBOX_LIMIT } from './outbox.ts';
import type { ChatMessage } from './types.ts';

const message = (
  clientMsgId: string,
  sentAt: number,
  status: ChatMessage['status'] = 'sending',
): ChatMessage => ({
  id: null,
  conversationId: 'c1',
  seq: 0,
  senderUserId: 'u1',
  senderDeviceId: 'd1',
  own: true,
  sentAt,
  createdAt: null,
  clientMsgId,
  status,
  content: { kind: 'text', text: `text ${clientMsgId}` },
});

describe('Outbox', () => {
  it('keeps typing order in sealed storage across a new instance, and refuses more than its limit', async () => {
    const storage = createMemoryStorage();
    const store = new SealedStore(storage, 'acct/u1/');
    const outbox = new Outbox(store);
    // Written concurrently (as a fast typist's sends are): the order of the calls is the order
    // kept.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        outbox.add(message(`m${i}`, await outbox.nextSentAt())),
      ),
    );
    await outbox.remove('m3');
    const again = new Outbox(store);
    const ids = (await again.list()).map((e) => e.message.clientMsgId);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).filter((id) => id !== 'm3'));
    // Nothing is readable at rest.
    for (const key of await storage.list('acct/u1/outbox/'))
      expect(new TextDecoder().decode(await storage.get(key))).not.toContain('text m');
    // A new message sorts after every stored one, even with a clock behind theirs.
    const sentAts = (await again.list()).map((e) => e.message.sentAt);
    expect(await again.nextSentAt()).toBeGreaterThan(Math.max(...sentAts));

    for (let i = 19; i < OUTBOX_LIMIT; i++) await again.add(message(`n${i}`, i));
    await expect(again.add(message('one too many', 0))).rejects.toMatchObject({
      code: 'OUTBOX_FULL',
    });
  });

  it('queues messages in the order they were sent, whatever each one awaits first', async () => {
    const outbox = new Outbox(new SealedStore(createMemoryStorage(), 'acct/u1/'));
    const slowFirst = [30, 20, 10, 0].map((delay, i) =>
      outbox.inOrder(async () => {
        await new Promise((r) => setTimeout(r, delay));
        await outbox.add(message(`m${i}`, await outbox.nextSentAt()));
      }),
    );
    await Promise.all(slowFirst);
    expect((await outbox.list()).map((e) => e.message.clientMsgId)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
    ]);
  });

  it('adopts failed sends kept by earlier versions (pending/…), oldest first, still failed, with their ciphertext', async () => {
    const store = new SealedStore(createMemoryStorage(), 'acct/u1/');
    await store.putJson('pending/b', {
      message: message('b', 20, 'failed'),
      ciphertext: 'Yg==',
      epoch: 2,
    });
    await store.putJson('pending/a', {
      message: message('a', 10, 'failed'),
      ciphertext: 'YQ==',
      epoch: 1,
    });
    const outbox = new Outbox(store);
    expect(await outbox.list()).toMatchObject([
      {
        message: { clientMsgId: 'a', status: 'failed' },
        attempt: { ciphertext: 'YQ==', epoch: 1 },
      },
      {
        message: { clientMsgId: 'b', status: 'failed' },
        attempt: { ciphertext: 'Yg==', epoch: 2 },
      },
    ]);
    expect(await store.list('pending/')).toEqual([]);
    expect((await new Outbox(store).list()).map((e) => e.message.clientMsgId)).toEqual(['a', 'b']);
  });
});
