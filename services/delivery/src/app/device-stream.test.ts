import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { InboxEntry, InboxPage } from '@rchat/protocol';
import { createLogger } from '@rchat/server-kit';
import { sseSink } from '../adapters/sse.ts';
import { DeviceStream } from './device-stream.ts';

/** The part of a ServerResponse a stream uses, recording what was written. */
class FakeResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  writableNeedDrain = false;
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): void {
    this.emit('close');
  }
  destroy(): void {
    this.end();
  }
}

const logger = createLogger({ level: 'silent', name: 'test' });
const conversationId = '00000000-0000-4000-8000-000000000001';
const userId = '00000000-0000-4000-8000-000000000002';

function message(seq: number, bytes: number): InboxEntry {
  return {
    seq,
    type: 'message',
    createdAt: new Date(0).toISOString(),
    message: {
      id: conversationId,
      conversationId,
      seq,
      senderUserId: userId,
      senderDeviceId: userId,
      txnId: `t${seq}`,
      ciphertext: 'A'.repeat(bytes),
      epoch: 0,
      createdAt: new Date(0).toISOString(),
    },
  };
}

/**
 * The store: what readInbox sees at the moment it is called; reads wait at a gate the test opens.
 */
function store(pageSize: number) {
  const entries: InboxEntry[] = [];
  let open: () => void = () => {};
  let gate = Promise.resolve();
  return {
    entries,
    close: () => {
      gate = new Promise<void>((r) => (open = r));
    },
    open: () => open(),
    read: async (_user: string, q: { after: number; limit: number }): Promise<InboxPage> => {
      const page = {
        entries: entries.filter((e) => e.seq > q.after).slice(0, Math.min(pageSize, q.limit)),
        headSeq: entries.length,
      };
      await gate;
      return page;
    },
  };
}

const sentIds = (res: FakeResponse) =>
  [...res.written.matchAll(/^id: (\d+)\nevent: message$/gm)].map((m) => Number(m[1]));

describe('device stream', () => {
  it('lets held events go past MAX_PENDING_BYTES while repairing a gap, and reads them from the store again: each sent once, in order', async () => {
    const inbox = store(3);
    const res = new FakeResponse();
    const stream = new DeviceStream(
      userId,
      userId,
      sseSink(res as unknown as ServerResponse),
      inbox.read,
      { heartbeatMs: 60_000, maxBufferedBytes: 1 << 30, maxPendingBytes: 250_000, retryMs: 1000 },
      logger,
      () => {},
      0,
    );
    await stream.start(Date.now() + 60_000);
    expect(res.written).toContain('event: ready');

    // 1 and 2 never came over the bus; 3 shows the gap, and the read of it waits.
    inbox.entries.push(message(1, 10), message(2, 10), message(3, 10));
    inbox.close();
    stream.push(message(3, 10));
    await new Promise((r) => setImmediate(r));
    // Meanwhile 4..20 arrive live, each more than may be held.
    for (let seq = 4; seq <= 20; seq++) {
      const entry = message(seq, 300_000);
      inbox.entries.push(entry);
      stream.push(entry);
    }
    inbox.open();
    await new Promise((r) => setTimeout(r, 20));
    expect(sentIds(res)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    // Live again: the next event goes straight out.
    const next = message(21, 10);
    inbox.entries.push(next);
    stream.push(next);
    expect(sentIds(res).at(-1)).toBe(21);
    stream.end('shutdown');
  });

  it('reads what the bus lost from the store when told the bus reconnected, though no later event shows a gap', async () => {
    const inbox = store(3);
    const res = new FakeResponse();
    const stream = new DeviceStream(
      userId,
      userId,
      sseSink(res as unknown as ServerResponse),
      inbox.read,
      { heartbeatMs: 60_000, maxBufferedBytes: 1 << 30, maxPendingBytes: 1 << 20, retryMs: 1000 },
      logger,
      () => {},
      0,
    );
    await stream.start(Date.now() + 60_000);
    inbox.entries.push(message(1, 10));
    stream.push(message(1, 10));
    // 2..7 were stored while the bus was away; their events never came, and nothing came after
    // them.
    for (let seq = 2; seq <= 7; seq++) inbox.entries.push(message(seq, 10));
    await new Promise((r) => setTimeout(r, 20));
    expect(sentIds(res)).toEqual([1]);

    stream.resync();
    // An event that does come meanwhile (and one already sent) goes out once, in its place.
    stream.push(message(7, 10));
    stream.push(message(1, 10));
    await new Promise((r) => setTimeout(r, 20));
    expect(sentIds(res)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const next = message(8, 10);
    inbox.entries.push(next);
    stream.push(next);
    expect(sentIds(res)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    stream.end('shutdown');
  });
});
