import { AppError } from '@rchat/server-kit';
import type { Conversation } from '@rchat/protocol';
import type { Caller, ChatDeps } from './deps.ts';
import { listConversations } from './list-conversations.ts';

/** One conversation of the caller; CONVERSATION_NOT_FOUND for one they are not a member of. */
export async function getConversation(
  deps: ChatDeps,
  caller: Caller,
  id: string,
): Promise<Conversation> {
  const [conversation] = await listConversations(deps, caller, id);
  if (!conversation)
    throw new AppError('CONVERSATION_NOT_FOUND', 'No conversation with this id exists for you.');
  return conversation;
}
