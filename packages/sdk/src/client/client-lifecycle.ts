import type { ClientContext } from './context.ts';
import { replenishKeyPackages } from './device-setup.ts';
import type { LiveInbox } from './live-inbox.ts';

/**
 * Opens the live stream (unless open) and resumes the background work; resolves when the stream is
 * live.
 */
export async function startClient(ctx: ClientContext, inbox: LiveInbox): Promise<void> {
  if (inbox.streaming) return;
  const { ready } = await inbox.connect();
  void replenishKeyPackages(ctx.api, ctx.account, ctx.device).catch(() => undefined);
  void ctx.backup?.flush(); // what an earlier run queued but did not write
  ctx.drain.resume(); // and what it could not send
  await ready;
}

/** Closes the live stream and pauses the outbox's retries. */
export function stopClient(ctx: ClientContext, inbox: LiveInbox): void {
  inbox.disconnect();
  ctx.drain.pause();
}

/**
 * Stops, then waits until nothing more is written to storage: entries processed, backup written,
 * latest tokens stored.
 */
export async function closeClient(ctx: ClientContext, inbox: LiveInbox): Promise<void> {
  stopClient(ctx, inbox);
  ctx.drain.close();
  await ctx.drain.stopped();
  await inbox.idle();
  await ctx.backup?.flush();
  await ctx.api.settled();
  await ctx.account.sessionSaved();
}
