import { toChatConversation, type ClientContext } from './context.ts';

/**
 * Marks the conversation read up to `seq` (default: its last message) and emits the updated
 * conversation.
 */
export async function markRead(
  ctx: ClientContext,
  conversationId: string,
  seq: number | undefined,
): Promise<void> {
  const target = seq ?? (await ctx.api.conversation(conversationId)).lastSeq;
  const res = await ctx.api.markRead(conversationId, target);
  const conversation = await ctx.api.conversation(res.conversationId);
  ctx.events.emit('conversation', await toChatConversation(ctx, conversation));
}
