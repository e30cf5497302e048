import type { InboxEntry, Message } from '@rchat/protocol';
import { RchatError, type EventStream, type RchatApi } from '@rchat/sdk';
import { b64 } from '../support/users.ts';

/**
 * Steady message traffic through the real SDK, and an exact account of what
 * arrived: the client side of the fault-injection tests. A sender behaves as a
 * client's outbox does: one message at a time, each retried with the SAME
 * txnId (and the same bytes) until the server acknowledges it, with backoff.
 * A receiver is a device's EventStream, which resumes from its cursor by
 * itself; it counts what the app was handed by txnId, so a duplicate (the
 * same entry twice, or one txnId stored as two messages) shows.
 */

export class Sender {
  /** Acknowledged messages by txnId. */
  readonly acked = new Map<string, Message>();
  /** Messages that needed more than one attempt. */
  retried = 0;
  /** The longest a message took from its first attempt to its acknowledgement, in ms. */
  slowestMs = 0;
  /** What failed attempts answered (error code, or HTTP status), with how often. */
  readonly failures = new Map<string, number>();
  /** A send is waiting for its answer. */
  inFlight = false;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly api: RchatApi,
    private readonly conversationId: string,
  ) {}

  /**
   * Sends `tag-<name>-<n>` every `intervalMs` (after the previous one was acknowledged) until
   * `stop()`.
   */
  start(tag: string, intervalMs: number): void {
    this.stopped = false;
    this.running = (async () => {
      for (let n = 0; !this.stopped; n++) {
        const began = Date.now();
        await this.send(`${tag}-${this.name}-${n}`);
        await sleep(intervalMs - (Date.now() - began));
      }
    })();
  }

  /** Stops after the message in flight is acknowledged. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Sends one message, retrying with the same txnId until it is acknowledged. */
  async send(txnId: string): Promise<void> {
    const body = { txnId, ciphertext: b64(`${txnId} (opaque to the server)`) };
    const began = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.inFlight = true;
      try {
        const message = await this.api.sendMessage(this.conversationId, body);
        if (message.txnId !== txnId)
          throw new Error(
            `The answer to ${txnId} is message ${message.id} with txnId ${message.txnId}.`,
          );
        this.acked.set(txnId, message);
        if (attempt > 1) this.retried++;
        this.slowestMs = Math.max(this.slowestMs, Date.now() - began);
        return;
      } catch (err) {
        const kind = retryable(err);
        if (!kind) throw err;
        this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
        // 100 ms, doubling up to 2 s, with jitter; at least what Retry-After asks.
        const retryAfterMs =
          err instanceof RchatError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
        await sleep(
          Math.max(
            retryAfterMs,
            Math.min(2_000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2),
          ),
        );
      } finally {
        this.inFlight = false;
      }
    }
  }
}

/** Why a failed send may be retried (its code or status), or null when retrying cannot help. */
function retryable(err: unknown): string | null {
  if (!(err instanceof RchatError)) return null;
  if (err.status === 0 || err.status === 429 || err.status >= 500)
    return err.status === 0 ? err.code : `${err.status} ${err.code}`;
  return null;
}

export class Receiver {
  /** Message entries handed to the app, by txnId: how often. */
  readonly byTxnId = new Map<string, { count: number }>();
  /** Entries handed to the app at or below a sequence it already had. */
  outOfOrder = 0;
  /** Connections the stream opened (more than one: it lost one and resumed from its cursor). */
  connections = 0;
  private lastSeq = 0;
  private stream: EventStream | null = null;

  constructor(
    readonly name: string,
    readonly api: RchatApi,
  ) {}

  /** Opens the device's event stream from now; resolves when it is live. */
  open(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.stream = this.api.events({
        onEntry: (e) => this.take(e),
        onReady: () => resolve(),
        // Each connection attempt starts with one status without an error.
        onStatus: (status, err) => {
          if ((status === 'connecting' || status === 'reconnecting') && err === undefined)
            this.connections++;
        },
      });
    });
  }

  close(): void {
    this.stream?.close();
  }

  /** How many of `txnIds` arrived at least once. */
  countDelivered(txnIds: Iterable<string>): number {
    let n = 0;
    for (const t of txnIds) if (this.byTxnId.has(t)) n++;
    return n;
  }

  /**
   * Deliveries of `txnIds` beyond the first of each (one txnId stored as two messages arrives
   * twice, so it counts too).
   */
  duplicatesOf(txnIds: Iterable<string>): number {
    let n = 0;
    for (const t of txnIds) n += Math.max(0, (this.byTxnId.get(t)?.count ?? 0) - 1);
    return n;
  }

  private take(entry: InboxEntry): void {
    if (entry.seq <= this.lastSeq) this.outOfOrder++;
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
    if (entry.type !== 'message') return;
    const seen = this.byTxnId.get(entry.message.txnId) ?? { count: 0 };
    seen.count++;
    this.byTxnId.set(entry.message.txnId, seen);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
