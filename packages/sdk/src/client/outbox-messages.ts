import type { ClientContext } from './context.ts';
import type { ChatMessage } from './types.ts';

/**
 * Takes a `failed` message out of the outbox for good; a message in any other state is not touched.
 */
export async function discardFailed(ctx: ClientContext, clientMsgId: string): Promise<void> {
  await ctx.lock.run(async () => {
    if ((await ctx.outbox.get(clientMsgId))?.message.status === 'failed')
      await ctx.outbox.remove(clientMsgId);
  });
}

/**
 * Sends what the outbox holds now, in order; answers the messages left in it (`queued` or
 * `failed`).
 */
export async function flushOutbox(ctx: ClientContext): Promise<ChatMessage[]> {
  await ctx.drain.flush();
  return (await ctx.outbox.list()).map(({ message }) =>
    message.status === 'failed' ? message : { ...message, status: ctx.drain.statusOf(message) },
  );
}
