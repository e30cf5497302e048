import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryBus } from '@rchat/server-kit';
import { sseSink } from '../adapters/sse.ts';
import { DeviceStream } from './device-stream.ts';
import { StreamRegistry } from './stream-registry.ts';

/** The part of a ServerResponse a stream uses, recording what was written. */
class FakeResponse extends EventEmitter {
  written = '';
  ended = false;
  writableLength = 0;
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.end();
  }
}

const logger = createLogger({ level: 'silent', name: 'test' });
const limits = {
  heartbeatMs: 5,
  maxBufferedBytes: 1 << 20,
  maxPendingBytes: 1 << 20,
  retryMs: 1000,
};
const emptyInbox = async () => ({ entries: [], headSeq: 0 });

function stream(registry: StreamRegistry, res: FakeResponse): DeviceStream {
  return new DeviceStream(
    'user-1',
    'device-1',
    sseSink(res as unknown as ServerResponse),
    emptyInbox,
    limits,
    logger,
    (s) => registry.remove(s),
    null,
  );
}

describe('stream registry at shutdown', () => {
  it('ends the open streams, and one that finishes connecting afterwards, so nothing holds the server open', async () => {
    const registry = new StreamRegistry(createMemoryBus(), logger);
    const open = new FakeResponse();
    const first = stream(registry, open);
    registry.add(first);
    await first.start(Date.now() + 60_000);
    expect(open.written).toContain('event: ready');
    expect(registry.size).toBe(1);

    registry.endAll('shutdown');
    expect(open.ended).toBe(true);
    expect(open.written).toContain('event: bye\ndata: {"reason":"shutdown"}');

    // Its request was still being authenticated when the shutdown began.
    const late = new FakeResponse();
    const second = stream(registry, late);
    registry.add(second);
    await second.start(Date.now() + 60_000);
    expect(late.ended).toBe(true);
    expect(late.written).toBe('event: bye\ndata: {"reason":"shutdown"}\n\n');
    expect(registry.size).toBe(0);
    // No heartbeat was started for it.
    await new Promise((r) => setTimeout(r, 30));
    expect(late.written).toBe('event: bye\ndata: {"reason":"shutdown"}\n\n');
  });
});

describe('stream registry when the bus reconnects', () => {
  it('has every stream read what it missed from the store, and stops listening once it shuts down', async () => {
    const reconnected = new Set<() => void>();
    const bus = {
      ...createMemoryBus(),
      onReconnect: (l: () => void) => (reconnected.add(l), () => void reconnected.delete(l)),
    };
    const registry = new StreamRegistry(bus, logger);
    let reads = 0;
    const counting = async () => (reads++, { entries: [], headSeq: 0 });
    const res = new FakeResponse();
    const s = new DeviceStream(
      'user-1',
      'device-1',
      sseSink(res as unknown as ServerResponse),
      counting,
      limits,
      logger,
      (x) => registry.remove(x),
      0,
    );
    registry.add(s);
    await s.start(Date.now() + 60_000);
    const afterStart = reads;

    for (const l of reconnected) l();
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toBe(afterStart + 1);

    registry.endAll('shutdown');
    expect(reconnected.size).toBe(0);
  });
});
