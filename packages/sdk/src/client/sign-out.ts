import { AccountStore } from './account-store.ts';
import { stopClient } from './client-lifecycle.ts';
import type { ClientContext } from './context.ts';
import type { LiveInbox } from './live-inbox.ts';

/** Signs this device out; the outbox stays sealed on the device, unsent. */
export async function logout(ctx: ClientContext, inbox: LiveInbox): Promise<void> {
  stopClient(ctx, inbox);
  ctx.drain.close();
  await ctx.backup?.flush();
  await ctx.api.logout().catch(() => undefined);
  await ctx.account.saveSession(null);
  await AccountStore.forget(ctx.account.storage);
}

/**
 * Deletes the account on the server (the password re-authenticates), then stops and erases this
 * device's copy of it.
 */
export async function deleteAccount(
  ctx: ClientContext,
  inbox: LiveInbox,
  password: string,
): Promise<void> {
  await ctx.api.deleteAccount(password);
  stopClient(ctx, inbox);
  ctx.drain.close();
  await ctx.lock.run(() =>
    AccountStore.erase(ctx.account.storage, { userId: ctx.userId, username: ctx.username }),
  );
}
