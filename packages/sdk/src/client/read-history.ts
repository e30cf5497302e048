import type { ClientContext } from './context.ts';
import type { ChatMessage } from './types.ts';

/**
 * One page of a conversation, oldest first, from this device's store of
 * decrypted plaintext; messages this device never decrypted (sent before it
 * joined) are marked `unavailable`. The newest page also carries, after
 * them in typing order, own messages still in the outbox (queued, sending or failed).
 */
export async function readHistory(
  ctx: ClientContext,
  conversationId: string,
  page: { before?: number; limit?: number },
  catchUp: () => Promise<void>,
): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
  const res = await ctx.api.history(conversationId, page);
  // Messages the server has but this device has not processed yet (its stream is still catching
  // up):
  // process the inbox now rather than show them as unavailable.
  for (const m of res.messages) {
    if (m.senderDeviceId !== ctx.deviceId && !(await ctx.messages.get(conversationId, m.seq))) {
      await catchUp();
      break;
    }
  }
  const messages: ChatMessage[] = [];
  for (const m of [...res.messages].reverse()) {
    const local = await ctx.messages.get(conversationId, m.seq);
    messages.push(
      local ?? {
        id: m.id,
        conversationId,
        seq: m.seq,
        senderUserId: m.senderUserId,
        senderDeviceId: m.senderDeviceId,
        own: m.senderUserId === ctx.userId,
        sentAt: Date.parse(m.createdAt),
        createdAt: m.createdAt,
        clientMsgId: m.txnId,
        status: 'sent',
        content: { kind: 'unavailable' },
      },
    );
  }
  if (page.before === undefined) {
    const confirmed = new Set(messages.map((m) => m.clientMsgId));
    for (const { message } of await ctx.outbox.list()) {
      if (message.conversationId !== conversationId || confirmed.has(message.clientMsgId)) continue;
      messages.push(
        message.status === 'failed' ? message : { ...message, status: ctx.drain.statusOf(message) },
      );
    }
  }
  return { messages, nextBefore: res.nextBefore };
}
