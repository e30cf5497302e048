import { RchatError } from '../errors.ts';
import type { SealedStore } from '../storage/storage.ts';
import { Mutex } from './emitter.ts';
import type { ChatMessage } from './types.ts';

/**
 * How many unsent messages a device holds; more are refused with OUTBOX_FULL (the outbox is
 * mirrored in memory).
 */
export const OUTBOX_LIMIT = 1_000;

/** An own message the server has not confirmed yet, as the outbox keeps it (sealed at rest). */
export interface OutboxEntry {
  /**
   * Stored with status `sending`, or `failed` (with `failure`) once the server refused it for good.
   */
  message: ChatMessage;
  /**
   * The ciphertext of the last attempt and its MLS epoch: a resend in the same
   * epoch sends these very bytes under the same txnId, which the server
   * recognises as the message it may already hold.
   */
  attempt?: { ciphertext: string; epoch: number };
  /**
   * The server holds a message under this txnId (an earlier attempt landed): the inbox confirms it.
   */
  landed?: boolean;
}

const keyOf = (position: number) => `outbox/${String(position).padStart(15, '0')}`;

/**
 * The device's outbox: what the person typed, written to sealed storage
 * before it is shown, in typing order, until the server confirms it. A
 * memory mirror answers reads; every write is durable before the mirror
 * changes (a removal leaves the mirror first, so nothing resends it).
 * Writes run one at a time, so the order on disk is the typing order.
 */
export class Outbox {
  private readonly entries = new Map<string, { key: string; entry: OutboxEntry }>();
  private loaded: Promise<void> | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private nextPosition = 0;
  private adding = 0;
  private lastSentAt = 0;

  private readonly typing = new Mutex();

  constructor(private readonly store: SealedStore) {}

  /**
   * Runs `queue` after every earlier call has finished: messages keep the order they were sent in,
   * whatever their checks await.
   */
  inOrder<T>(queue: () => Promise<T>): Promise<T> {
    return this.typing.run(queue);
  }

  /**
   * A `sentAt` after every message already queued (typing order survives a clock step and
   * same-millisecond sends).
   */
  async nextSentAt(): Promise<number> {
    await this.load();
    this.lastSentAt = Math.max(Date.now(), this.lastSentAt + 1);
    return this.lastSentAt;
  }

  /**
   * Writes a new message to the outbox; refused with OUTBOX_FULL when it holds OUTBOX_LIMIT
   * messages.
   */
  async add(message: ChatMessage): Promise<void> {
    await this.load();
    if (this.entries.size + this.adding >= OUTBOX_LIMIT) {
      throw new RchatError(
        'OUTBOX_FULL',
        `${OUTBOX_LIMIT} messages are waiting to be sent; wait until some are sent before writing more.`,
        0,
      );
    }
    const key = keyOf(this.nextPosition++);
    this.adding++;
    try {
      await this.write(() => this.store.putJson(key, { message } satisfies OutboxEntry));
      this.entries.set(message.clientMsgId, { key, entry: { message } });
    } finally {
      this.adding--;
    }
  }

  /**
   * Replaces a message's entry (its attempt, its failure); nothing when it left the outbox
   * meanwhile.
   */
  async update(entry: OutboxEntry): Promise<void> {
    const held = this.entries.get(entry.message.clientMsgId);
    if (!held) return;
    await this.write(() => this.store.putJson(held.key, entry));
    if (this.entries.get(entry.message.clientMsgId) === held)
      this.entries.set(entry.message.clientMsgId, { key: held.key, entry });
  }

  /** The server confirmed it (or the person gave up on it). */
  async remove(clientMsgId: string): Promise<void> {
    await this.load();
    const held = this.entries.get(clientMsgId);
    if (!held) return;
    this.entries.delete(clientMsgId);
    await this.write(() => this.store.delete(held.key));
  }

  async get(clientMsgId: string): Promise<OutboxEntry | undefined> {
    await this.load();
    return this.entries.get(clientMsgId)?.entry;
  }

  /** Every entry, in typing order. */
  async list(): Promise<OutboxEntry[]> {
    await this.load();
    return [...this.entries.values()].map((h) => h.entry);
  }

  /** Every write, in order: a put and a later delete of one key never swap. */
  private write(op: () => Promise<void>): Promise<void> {
    const run = this.writes.then(op);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<void> {
    this.loaded ??= this.read().catch((e: unknown) => {
      this.loaded = null;
      throw e;
    });
    return this.loaded;
  }

  private async read(): Promise<void> {
    const keys = await this.store.list('outbox/');
    for (const key of keys) {
      const entry = await this.store.getJson<OutboxEntry>(key);
      if (entry) this.entries.set(entry.message.clientMsgId, { key, entry });
      this.lastSentAt = Math.max(this.lastSentAt, entry?.message.sentAt ?? 0);
    }
    const last = keys.at(-1);
    this.nextPosition = last ? Number(last.slice('outbox/'.length)) + 1 : 0;
    await this.adoptEarlierFailures();
  }

  /**
   * Failed sends kept by versions before the outbox (`pending/…`, each with
   * its ciphertext) join it after what is there, oldest first, still failed.
   */
  private async adoptEarlierFailures(): Promise<void> {
    const earlier: OutboxEntry[] = [];
    const keys = await this.store.list('pending/');
    for (const key of keys) {
      const p = await this.store.getJson<{
        message: ChatMessage;
        ciphertext: string;
        epoch: number;
      }>(key);
      if (p && !this.entries.has(p.message.clientMsgId))
        earlier.push({ message: p.message, attempt: { ciphertext: p.ciphertext, epoch: p.epoch } });
    }
    for (const entry of earlier.sort((a, b) => a.message.sentAt - b.message.sentAt)) {
      const key = keyOf(this.nextPosition++);
      await this.store.putJson(key, entry);
      this.entries.set(entry.message.clientMsgId, { key, entry });
    }
    for (const key of keys) await this.store.delete(key);
  }
}
