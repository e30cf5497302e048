import { useEffect, useState } from 'react';
import type { ChatClient, ChatMessage } from '../client/chat-client.ts';

/**
 * The newest message seen in each conversation since the page opened (for the list's preview line).
 */
export function useLastMessages(client: ChatClient): ReadonlyMap<string, ChatMessage> {
  const [last, setLast] = useState<ReadonlyMap<string, ChatMessage>>(new Map());
  useEffect(
    () =>
      client.on('message', (m) =>
        setLast((prev) => {
          const current = prev.get(m.conversationId);
          const newer =
            !current ||
            current.clientMsgId === m.clientMsgId ||
            m.seq === 0 ||
            (current.seq !== 0 && m.seq >= current.seq);
          return newer ? new Map(prev).set(m.conversationId, m) : prev;
        }),
      ),
    [client],
  );
  return last;
}
