import type { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';
import { applyPendingCommits } from './conversation-keys.ts';
import { sendQueued, waitScopeOf, type SendAttempt, type WaitScope } from './send-queued.ts';
import type { ChatMessage } from './types.ts';

/**
 * The first wait after a failed attempt; it doubles per failure up to the cap, and each wait is
 * jittered (50–100 %).
 */
export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 30_000;

type Waiting = { error: RchatError; scope: WaitScope };

/**
 * Sends the outbox in the background, one message at a time, in typing
 * order per conversation. A message the network, the server or missing keys
 * hold up is retried by itself — after a wait that grows (capped, jittered,
 * at least the server's Retry-After), and at once when the live stream
 * reconnects, the browser goes online, or the conversation's keys arrive —
 * while the messages after it in its conversation wait (after a network
 * failure, every conversation's do). A refusal that stands leaves the message
 * `failed` and the ones after it go on. Before a conversation's first send in
 * a round, the key changes the server sequenced are applied, so a message is
 * encrypted in the conversation's current epoch.
 */
export class OutboxDrain {
  private running: Promise<void> | null = null;
  private requested = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  /**
   * Retries by timer, on `online` and on key arrival: between `resume()` (start) and `pause()`
   * (stop).
   */
  private automatic = false;
  private closed = false;
  private offline = false;
  private readonly waitingConversations = new Set<string>();
  private readonly offs: (() => void)[] = [];

  constructor(private readonly context: () => ClientContext) {}

  /**
   * How an unsent message shows now: `queued` while its conversation (or the network) is waiting,
   * else `sending`.
   */
  statusOf(message: Pick<ChatMessage, 'conversationId'>): 'queued' | 'sending' {
    return this.offline || this.waitingConversations.has(message.conversationId)
      ? 'queued'
      : 'sending';
  }

  /** Something was queued: send it, unless a wait is running (its end sends everything). */
  kick(): void {
    this.requested = true;
    if (!this.timer) this.ensureRunning();
  }

  /** Sends now, ending any wait (a Retry click, a reconnect). */
  now(): void {
    this.clearTimer();
    this.failures = 0;
    this.kick();
  }

  /**
   * Sends what can be sent now and resolves when that round ends (sent, refused, or held up again).
   */
  async flush(): Promise<void> {
    this.clearTimer();
    this.kick();
    while (this.running) await this.running;
  }

  resume(): void {
    if (this.closed) return;
    if (!this.automatic) {
      this.automatic = true;
      const target = globalThis as {
        addEventListener?: (type: string, h: () => void) => void;
        removeEventListener?: (type: string, h: () => void) => void;
      };
      const online = () => this.now();
      target.addEventListener?.('online', online);
      this.offs.push(() => target.removeEventListener?.('online', online));
      this.offs.push(
        this.context().events.on(
          'devices',
          (change) => this.waitingConversations.has(change.conversationId) && this.now(),
        ),
      );
    }
    this.now();
  }

  pause(): void {
    this.automatic = false;
    this.clearTimer();
    for (const off of this.offs.splice(0)) off();
  }

  /**
   * Signed out: nothing more is sent from this client (the outbox stays on the device for the next
   * sign-in).
   */
  close(): void {
    this.closed = true;
    this.pause();
  }

  /** Resolves when no send of this drain is under way (after `close`, none starts again). */
  async stopped(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private ensureRunning(): void {
    if (this.running || this.closed) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.requested && !this.timer) this.ensureRunning();
    });
  }

  private async loop(): Promise<void> {
    while (this.requested && !this.closed) {
      this.requested = false;
      const waiting = await this.round().catch((e: unknown) => {
        this.context().events.emit('warning', {
          message: `Queued messages could not be sent: ${e instanceof Error ? e.message : String(e)}`,
        });
        return null;
      });
      if (waiting) {
        this.retryLater(waiting);
        return;
      }
    }
  }

  /** One pass over the outbox; answers what holds messages up, or null when nothing does. */
  private async round(): Promise<Waiting | null> {
    const ctx = this.context();
    const synced = new Set<string>();
    const held = new Set<string>();
    const tried = new Set<string>();
    let waiting: Waiting | null = null;
    for (;;) {
      const next = (await ctx.outbox.list()).find(
        (e) =>
          !tried.has(e.message.clientMsgId) &&
          e.message.status !== 'failed' &&
          !e.landed &&
          !held.has(e.message.conversationId),
      );
      if (!next || this.closed) break;
      const { clientMsgId, conversationId } = next.message;
      tried.add(clientMsgId);
      const attempt = await ctx.lock.run(() =>
        this.attempt(ctx, conversationId, clientMsgId, synced),
      );
      if (
        attempt.kind === 'sent' &&
        (this.offline || this.waitingConversations.has(conversationId))
      ) {
        await this.show(() => {
          this.offline = false;
          this.waitingConversations.delete(conversationId);
        });
      }
      if (attempt.kind !== 'waiting') continue;
      waiting ??= attempt;
      if (attempt.scope !== 'conversation') {
        await this.show(() => (this.offline = true));
        return attempt;
      }
      held.add(conversationId);
      await this.show(() => this.waitingConversations.add(conversationId));
    }
    await this.show(() => {
      this.offline = false;
      for (const c of this.waitingConversations)
        if (!held.has(c)) this.waitingConversations.delete(c);
    });
    if (!waiting) this.failures = 0;
    return waiting;
  }

  private async attempt(
    ctx: ClientContext,
    conversationId: string,
    clientMsgId: string,
    synced: Set<string>,
  ): Promise<SendAttempt> {
    if (!synced.has(conversationId)) {
      synced.add(conversationId);
      try {
        await applyPendingCommits(ctx, conversationId);
      } catch (e) {
        const scope = waitScopeOf(e);
        if (scope) return { kind: 'waiting', error: e as RchatError, scope };
        // Anything else is the send's to report.
      }
    }
    return sendQueued(ctx, clientMsgId);
  }

  /**
   * Applies a change of state and tells listeners about each unsent message that now shows
   * differently.
   */
  private async show(change: () => void): Promise<void> {
    const ctx = this.context();
    const unsent = (await ctx.outbox.list()).filter(
      (e) => e.message.status !== 'failed' && !e.landed,
    );
    const before = unsent.map((e) => this.statusOf(e.message));
    change();
    unsent.forEach((e, i) => {
      const status = this.statusOf(e.message);
      if (status !== before[i]) ctx.events.emit('message', { ...e.message, status });
    });
  }

  private retryLater(waiting: Waiting): void {
    this.failures++;
    if (waiting.scope === 'session' || !this.automatic || this.closed) return;
    const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(this.failures - 1, 10));
    const delay = Math.max(
      backoff * (0.5 + Math.random() / 2),
      (waiting.error.retryAfterSeconds ?? 0) * 1_000,
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, delay);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
