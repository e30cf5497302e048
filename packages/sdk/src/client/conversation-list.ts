import { toChatConversation, type ClientContext } from './context.ts';
import { initializeGroup } from './conversation-keys.ts';
import { findUserId } from './find-users.ts';
import type { ChatConversation } from './types.ts';

/** Where the last conversation list is kept on the device (see `knownConversations`). */
const KNOWN_CONVERSATIONS = 'conversations';

/**
 * Opens (or creates) the direct conversation, sets up its encryption, and puts it first in the
 * known list.
 */
export async function startConversation(
  ctx: ClientContext,
  peer: { userId: string } | { username: string },
): Promise<ChatConversation> {
  const userId = 'userId' in peer ? peer.userId : await findUserId(ctx, peer.username);
  const conversation = await ctx.api.createConversation(userId);
  await ctx.lock.run(() => initializeGroup(ctx, conversation));
  const started = await toChatConversation(ctx, await ctx.api.conversation(conversation.id));
  const known = await knownConversations(ctx);
  await ctx.account.sealed.putJson(KNOWN_CONVERSATIONS, [
    started,
    ...known.filter((c) => c.id !== started.id),
  ]);
  return started;
}

/** The conversations from the server; kept sealed on the device as the known list. */
export async function listConversations(ctx: ClientContext): Promise<ChatConversation[]> {
  const list = await ctx.api.conversations();
  const conversations = await Promise.all(list.map((c) => toChatConversation(ctx, c)));
  await ctx.account.sealed.putJson(KNOWN_CONVERSATIONS, conversations);
  return conversations;
}

/** The conversations as this device last listed them, without asking the server. */
export async function knownConversations(ctx: ClientContext): Promise<ChatConversation[]> {
  return (await ctx.account.sealed.getJson<ChatConversation[]>(KNOWN_CONVERSATIONS)) ?? [];
}
