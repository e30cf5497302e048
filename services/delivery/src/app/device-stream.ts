import type { InboxEntry } from '@rchat/protocol';
import type { Logger } from '@rchat/server-kit';
import type { EventSink } from './event-sink.ts';
import type { InboxReader } from './inbox-reader.ts';

const PAGE = 500;
/** How long catch-up waits for a client to read before giving up on it. */
const STALL_MS = 30_000;

export interface StreamLimits {
  heartbeatMs: number;
  maxBufferedBytes: number;
  /**
   * Bytes of live events held while catching up; past it they are dropped and read from the store
   * again.
   */
  maxPendingBytes: number;
  retryMs: number;
}

/**
 * One device's Server-Sent Events stream. Events leave in inbox order with no
 * gap and no duplicate: live events are held while the stream catches up
 * from the store; a live event that skips ahead triggers a read of the gap
 * from the store; anything at or below the last sent sequence is dropped.
 * What is held is bounded in bytes: past the bound the held events are let go
 * and the store is read again, which has them (an event is stored before it
 * is published), so a reader that drains slowly costs bounded memory.
 */
export class DeviceStream {
  private lastSent: number;
  private catchingUp = false;
  private pending: InboxEntry[] = [];
  private pendingBytes = 0;
  /** Held events were let go: the store must be read again before going live. */
  private dropped = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    readonly userId: string,
    readonly deviceId: string,
    private readonly sink: EventSink,
    private readonly readInbox: InboxReader,
    private readonly limits: StreamLimits,
    private readonly logger: Logger,
    private readonly onClose: (stream: DeviceStream) => void,
    cursor: number | null,
  ) {
    this.lastSent = cursor ?? -1;
    sink.onClose(() => this.dispose());
  }

  /** Sends the backlog after the cursor (or only the head when there is none), then goes live. */
  async start(tokenExpiresAt: number): Promise<void> {
    if (this.closed) return;
    this.write(() => this.sink.retry(this.limits.retryMs));
    this.heartbeat = setInterval(
      () => this.write(() => this.sink.heartbeat()),
      this.limits.heartbeatMs,
    );
    this.expiry = setTimeout(
      () => this.end('token-expired'),
      Math.max(0, tokenExpiresAt - Date.now()),
    );
    this.catchingUp = true;
    try {
      // The device's own cursor (or, without one, the head it starts from) is where it resumes:
      // chat records it.
      const resumed = this.lastSent >= 0;
      if (!resumed)
        this.lastSent = (
          await this.readInbox(
            this.userId,
            { after: Number.MAX_SAFE_INTEGER, limit: 1 },
            this.deviceId,
          )
        ).headSeq;
      await this.drainStore(resumed ? this.deviceId : undefined);
      if (this.closed) return;
      const headSeq = this.lastSent;
      this.write(() => this.sink.event('ready', { headSeq }, headSeq));
      await this.catchUp();
    } catch (err) {
      this.logger.warn(
        { err, userId: this.userId },
        'stream catch-up failed; client will reconnect',
      );
      this.end('unavailable');
    }
  }

  /** A live event from the bus. */
  push(entry: InboxEntry): void {
    if (this.closed) return;
    if (this.catchingUp) {
      this.hold(entry);
      return;
    }
    if (entry.seq <= this.lastSent) return;
    if (entry.seq === this.lastSent + 1) {
      this.send(entry);
      return;
    }
    // Something is missing between lastSent and this entry: read it from the store.
    this.hold(entry);
    this.catchingUp = true;
    this.catchUp().catch((err: unknown) => {
      this.logger.warn({ err, userId: this.userId }, 'gap repair failed; client will reconnect');
      this.end('unavailable');
    });
  }

  /**
   * Live events may have been lost (the bus reconnected): read the store after
   * the last sent sequence, as for a gap, even though no later event showed one.
   */
  resync(): void {
    if (this.closed) return;
    // A catch-up in progress reads the store again before it goes live.
    this.dropped = true;
    if (this.catchingUp) return;
    this.catchingUp = true;
    this.catchUp().catch((err: unknown) => {
      this.logger.warn(
        { err, userId: this.userId },
        'reading the store after a bus reconnect failed; client will reconnect',
      );
      this.end('unavailable');
    });
  }

  end(reason: string): void {
    if (this.closed) return;
    this.write(() => this.sink.event('bye', { reason }));
    this.sink.end();
    this.dispose();
  }

  /**
   * Sends everything after lastSent from the store, paced by the socket (awaits
   * 'drain'), so catch-up never buffers unboundedly. Pages may be short (a
   * byte budget), so it reads on until it reaches the head. `resumingDevice`
   * marks the first read as the device's resume from its cursor.
   */
  private async drainStore(resumingDevice?: string): Promise<void> {
    // Whatever was let go before this read is in the store by now: this read covers it.
    this.dropped = false;
    // Only the first read is the device's resume; later ones start after what was sent, not what
    // the device processed.
    let resume = resumingDevice;
    for (;;) {
      const page = await this.readInbox(this.userId, { after: this.lastSent, limit: PAGE }, resume);
      resume = undefined;
      for (const entry of page.entries) {
        if (this.closed) return;
        if (entry.seq <= this.lastSent) continue;
        this.send(entry, false);
        if (this.sink.needsDrain) await this.drained();
      }
      const last = page.entries.at(-1);
      if (this.closed || !last || last.seq >= page.headSeq) return;
    }
  }

  /**
   * Holds a live event while catching up, or lets everything held go when the bound would be
   * passed.
   */
  private hold(entry: InboxEntry): void {
    const bytes = heldBytes(entry);
    if (this.pendingBytes + bytes > this.limits.maxPendingBytes) {
      if (!this.dropped)
        this.logger.debug(
          { userId: this.userId, deviceId: this.deviceId },
          'stream fell behind while catching up; reading from the store again',
        );
      this.pending = [];
      this.pendingBytes = 0;
      this.dropped = true;
      return;
    }
    this.pending.push(entry);
    this.pendingBytes += bytes;
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopListening();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        this.logger.info(
          { userId: this.userId, deviceId: this.deviceId },
          'stalled client disconnected',
        );
        this.sink.destroy();
        this.dispose();
      }, STALL_MS);
      const stopListening = this.sink.whenDrained(done);
    });
  }

  /**
   * Sends the held events, reading the store for any gap (or after held
   * events were let go), until nothing is held; then goes live in the same
   * tick as the last check, so no event is left held.
   */
  private async catchUp(): Promise<void> {
    while (!this.closed) {
      if (this.dropped) {
        await this.drainStore();
        continue;
      }
      if (this.pending.length === 0) {
        this.catchingUp = false;
        return;
      }
      const batch = this.pending.sort((a, b) => a.seq - b.seq);
      this.pending = [];
      this.pendingBytes = 0;
      let gap = false;
      for (const entry of batch) {
        if (entry.seq <= this.lastSent) continue;
        if (entry.seq === this.lastSent + 1) this.send(entry);
        else gap = true;
      }
      if (gap) await this.drainStore();
    }
  }

  private send(entry: InboxEntry, live = true): void {
    this.lastSent = entry.seq;
    // A Welcome is addressed to the devices it adds; others skip its sequence number.
    if (entry.type === 'welcome' && !entry.deviceIds.includes(this.deviceId)) return;
    this.write(() => this.sink.event(entry.type, entry, entry.seq), live);
  }

  /**
   * Writes to the sink; a live write that leaves more than the limit unread disconnects the client.
   */
  private write(send: () => void, enforceLimit = true): void {
    if (this.closed) return;
    send();
    if (enforceLimit && this.sink.unreadBytes > this.limits.maxBufferedBytes) {
      // A slow reader must not hold memory for everyone: drop it; it resumes from the store.
      this.logger.info(
        { userId: this.userId, deviceId: this.deviceId },
        'slow client disconnected',
      );
      this.sink.destroy();
      this.dispose();
    }
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.expiry);
    this.pending = [];
    this.pendingBytes = 0;
    this.onClose(this);
  }
}

/** About what a held event costs in memory: its opaque payload and a little around it. */
function heldBytes(entry: InboxEntry): number {
  switch (entry.type) {
    case 'message':
      return 256 + entry.message.ciphertext.length;
    case 'commit':
      return 256 + entry.commit.commit.length;
    case 'welcome':
      return 256 + entry.welcome.length + 40 * entry.deviceIds.length;
    default:
      return 256;
  }
}
