import type { InboxEntry } from '@rchat/protocol';
import { RchatError } from '../errors.ts';
import type { EventStream } from '../event-stream.ts';
import { raiseAlert, type ClientContext } from './context.ts';
import { checkIdentities, ownIdentityResetAlert } from './identity-changes.ts';
import { processEntry } from './inbox-processor.ts';
import { waitScopeOf } from './send-queued.ts';

/**
 * This device's inbox, processed in order, one entry at a time, from the live
 * stream or straight from the store (`catchUp`). The cursor moves past an
 * entry only once it is processed.
 */
export class LiveInbox {
  private stream: EventStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Set when an entry must be received again: until the stream reconnects, entries are let go. */
  private replaying = false;

  constructor(private readonly ctx: ClientContext) {}

  get streaming(): boolean {
    return this.stream !== null;
  }

  /**
   * Opens the live stream from this device's cursor; `ready` resolves once it is live and what came
   * before is processed.
   */
  async connect(): Promise<{ ready: Promise<void> }> {
    const { ctx } = this;
    const since = (await ctx.account.cursor()) ?? 0;
    let live: () => void = () => {};
    let fail: (e: unknown) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      live = resolve;
      fail = reject;
    });
    this.stream = ctx.api.events({
      since,
      // Reconnects resume from what this device processed, so the server never counts an
      // unprocessed entry as passed.
      resumeFrom: () => ctx.account.cursor(),
      onEntry: (entry) => this.enqueue(entry),
      onReady: () => {
        void this.queue.then(live);
        void checkIdentities(ctx).catch(() => undefined);
      },
      onStatus: (status, error) => {
        if (status === 'connecting' || status === 'reconnecting') this.reconnecting();
        if (status === 'live') ctx.drain.now(); // connected (again): what is queued goes now
        if (status === 'closed' && error instanceof RchatError && error.code === 'IDENTITY_RESET')
          raiseAlert(ctx, ownIdentityResetAlert);
        ctx.events.emit('status', status);
        if (status === 'closed' && error) {
          ctx.events.emit('warning', {
            message: error instanceof Error ? error.message : String(error),
          });
          fail(error);
        }
      },
    });
    return { ready };
  }

  disconnect(): void {
    this.stream?.close();
    this.stream = null;
  }

  /** Resolves when every entry received so far has been processed. */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * Processes, in order, every entry after this device's cursor straight from the store (what the
   * stream would bring).
   */
  catchUp(): Promise<void> {
    const { ctx } = this;
    const run = this.queue.then(async () => {
      for (;;) {
        const after = (await ctx.account.cursor()) ?? 0;
        const page = await ctx.api.inbox(after, 500);
        for (const entry of page.entries) {
          await ctx.lock.run(() => processEntry(ctx, entry));
          await ctx.account.saveCursor(entry.seq);
        }
        // A page may end early (the server's byte budget): the inbox goes on up to headSeq.
        const last = page.entries.at(-1);
        if (!last || last.seq >= page.headSeq) return;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Processes a live entry after the ones before it. An entry that fails for a
   * passing reason (the server out of reach while a Welcome's members are
   * checked) is not passed over: the cursor stays before it, the entries
   * already on their way are let go, and the stream connects again from the
   * cursor, so the server sends it again. Any other failure is reported and
   * the entry passed over (it would fail the same way every time).
   */
  private enqueue(entry: InboxEntry): void {
    const { ctx } = this;
    this.queue = this.queue.then(async () => {
      if (this.replaying) return;
      try {
        await ctx.lock.run(() => processEntry(ctx, entry));
      } catch (err) {
        if (isPassing(err)) {
          this.replaying = true;
          this.stream?.restart();
          return;
        }
        ctx.events.emit('warning', {
          message: `An event could not be processed: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
      await ctx.account.saveCursor(entry.seq).catch((err: unknown) =>
        ctx.events.emit('warning', {
          message: `An event could not be processed: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
    });
  }

  /** The stream connects again: entries from here on come after the cursor. */
  private reconnecting(): void {
    this.queue = this.queue.then(() => {
      this.replaying = false;
    });
  }
}

/**
 * A failure that may not happen when the entry is processed again: the server (or the network) was
 * away.
 */
function isPassing(err: unknown): boolean {
  const scope = waitScopeOf(err);
  return (
    scope === 'network' ||
    scope === 'session' ||
    (err instanceof RchatError && err.code === 'TIMEOUT')
  );
}
