import type { ServerResponse } from 'node:http';
import type { InboxEntry } from '@rchat/protocol';
import type { Logger } from '@rchat/server-kit';
import type { InboxReader } from './inbox-reader.ts';

const PAGE = 500;
/** How long catch-up waits for a client to read before giving up on it. */
const STALL_MS = 30_000;

export interface StreamLimits {
  heartbeatMs: number;
  maxBufferedBytes: number;
  retryMs: number;
}

/**
 * One device's Server-Sent Events stream. Events leave in inbox order with no
 * gap and no duplicate: live events are buffered while the stream catches up
 * from the store; a live event that skips ahead triggers a read of the gap
 * from the store; anything at or below the last sent sequence is dropped.
 */
export class DeviceStream {
  private lastSent: number;
  private catchingUp = false;
  private pending: InboxEntry[] = [];
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    readonly userId: string,
    readonly deviceId: string,
    private readonly res: ServerResponse,
    private readonly readInbox: InboxReader,
    private readonly limits: StreamLimits,
    private readonly logger: Logger,
    private readonly onClose: (stream: DeviceStream) => void,
    cursor: number | null,
  ) {
    this.lastSent = cursor ?? -1;
    res.on('close', () => this.dispose());
  }

  /** Sends the backlog after the cursor (or only the head when there is none), then goes live. */
  async start(tokenExpiresAt: number): Promise<void> {
    if (this.closed) return;
    this.write(`retry: ${this.limits.retryMs}\n\n`);
    this.heartbeat = setInterval(() => this.write(': hb\n\n'), this.limits.heartbeatMs);
    this.expiry = setTimeout(() => this.end('token-expired'), Math.max(0, tokenExpiresAt - Date.now()));
    this.catchingUp = true;
    try {
      if (this.lastSent < 0) this.lastSent = (await this.readInbox(this.userId, { after: Number.MAX_SAFE_INTEGER, limit: 1 })).headSeq;
      await this.drainStore();
      if (this.closed) return;
      this.write(`id: ${this.lastSent}\nevent: ready\ndata: ${JSON.stringify({ headSeq: this.lastSent })}\n\n`);
      await this.flushPending();
    } catch (err) {
      this.logger.warn({ err, userId: this.userId }, 'stream catch-up failed; client will reconnect');
      this.end('unavailable');
    } finally {
      this.catchingUp = false;
    }
  }

  /** A live event from the bus. */
  push(entry: InboxEntry): void {
    if (this.closed) return;
    if (this.catchingUp) {
      this.pending.push(entry);
      return;
    }
    if (entry.seq <= this.lastSent) return;
    if (entry.seq === this.lastSent + 1) {
      this.send(entry);
      return;
    }
    // Something is missing between lastSent and this entry: read it from the store.
    this.pending.push(entry);
    this.catchingUp = true;
    this.drainStore()
      .then(() => this.flushPending())
      .catch((err: unknown) => {
        this.logger.warn({ err, userId: this.userId }, 'gap repair failed; client will reconnect');
        this.end('unavailable');
      })
      .finally(() => {
        this.catchingUp = false;
      });
  }

  end(reason: string): void {
    if (this.closed) return;
    this.write(`event: bye\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.res.end();
    this.dispose();
  }

  /** Sends everything after lastSent from the store, paced by the socket (awaits 'drain'), so catch-up never buffers unboundedly. */
  private async drainStore(): Promise<void> {
    for (;;) {
      const page = await this.readInbox(this.userId, { after: this.lastSent, limit: PAGE });
      for (const entry of page.entries) {
        if (this.closed) return;
        if (entry.seq <= this.lastSent) continue;
        this.send(entry, false);
        if (this.res.writableNeedDrain) await this.drained();
      }
      if (this.closed || page.entries.length < PAGE) return;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        this.logger.info({ userId: this.userId, deviceId: this.deviceId }, 'stalled client disconnected');
        this.res.destroy();
        this.dispose();
      }, STALL_MS);
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const batch = this.pending.sort((a, b) => a.seq - b.seq);
      this.pending = [];
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
    this.write(`id: ${entry.seq}\nevent: ${entry.type}\ndata: ${JSON.stringify(entry)}\n\n`, live);
  }

  /** Writes a chunk; a live write that leaves more than the limit unread disconnects the client. */
  private write(chunk: string, enforceLimit = true): void {
    if (this.closed) return;
    this.res.write(chunk);
    if (enforceLimit && this.res.writableLength > this.limits.maxBufferedBytes) {
      // A slow reader must not hold memory for everyone: drop it; it resumes from the store.
      this.logger.info({ userId: this.userId, deviceId: this.deviceId }, 'slow client disconnected');
      this.res.destroy();
      this.dispose();
    }
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.expiry);
    this.pending = [];
    this.onClose(this);
  }
}
