import type { ChatConversation, RchatClient } from '@rchat/sdk';
import { CliError } from './command.ts';
import { printable } from './format.ts';

/** The existing conversation with a user (never starts one), or a CliError saying there is none. */
export async function conversationWith(
  client: RchatClient,
  username: string,
): Promise<ChatConversation> {
  const name = username.toLowerCase();
  const conversation = (await client.conversations()).find((c) => c.peer.username === name);
  if (!conversation)
    throw new CliError(
      `You have no conversation with ${printable(name)}: \`rchat conversations\` lists yours.`,
    );
  return conversation;
}
