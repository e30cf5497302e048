import type { ChatConversation, ChatMessage, RchatClient } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { formatMessage } from '../format.ts';
import { deliverOutbox } from '../outbox.ts';
import { catchUp, signedInClient } from '../session.ts';

const DEFAULT_LIMIT = 20;
/** The most the server returns in one page. */
const PAGE = 100;

export const history: Command = {
  name: 'history',
  synopsis: '<username> [--limit N]',
  summary: `the conversation with someone, oldest first (the last ${DEFAULT_LIMIT} messages unless --limit)`,
  options: ['limit'],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], limit = DEFAULT_LIMIT, openHome, io }) {
    const client = await signedInClient(await openHome());
    await catchUp(client);
    await deliverOutbox(client, io);
    const conversation = await findConversation(client, username);
    const { messages, more } = await lastMessages(client, conversation.id, limit);
    if (messages.length === 0) io.err(`No messages with ${conversation.peer.username} yet.`);
    for (const m of messages)
      io.out(formatMessage(m, m.own ? client.username : conversation.peer.username));
    if (more) io.err(`(older messages not shown: --limit ${limit * 2} shows more)`);
    const newest = Math.max(0, ...messages.map((m) => m.seq));
    if (newest > conversation.readSeq) await client.markRead(conversation.id, newest);
    return 0;
  },
};

async function findConversation(client: RchatClient, username: string): Promise<ChatConversation> {
  const name = username.toLowerCase();
  const found = (await client.conversations()).find((c) => c.peer.username === name);
  if (!found)
    throw new CliError(
      `You have no conversation with ${name} yet: \`rchat send ${name} <text>\` starts one.`,
    );
  return found;
}

/** The newest `limit` messages, oldest first, paging back as far as needed. */
async function lastMessages(
  client: RchatClient,
  conversationId: string,
  limit: number,
): Promise<{ messages: ChatMessage[]; more: boolean }> {
  let messages: ChatMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await client.history(conversationId, {
      limit: Math.min(PAGE, limit - messages.length),
      ...(before === undefined ? {} : { before }),
    });
    messages = [...page.messages, ...messages];
    if (page.nextBefore === null) return { messages, more: false };
    if (messages.length >= limit) return { messages, more: true };
    before = page.nextBefore;
  }
}
