import { useCallback, useEffect, useRef } from 'react';
import type { ChatClient, ChatConversation } from '../client/chat-client.ts';

/**
 * Where a line about a conversation (a device change, a security alert) goes
 * when it happens now: after the newest message this page knows of, from the
 * conversation list or from messages that arrived since.
 */
export function useLinePosition(
  client: ChatClient,
  conversations: ChatConversation[] | null,
): (conversationId: string) => number {
  const newestSeq = useRef(new Map<string, number>());
  const list = useRef(conversations);
  useEffect(() => {
    list.current = conversations;
  }, [conversations]);

  useEffect(
    () =>
      client.on('message', (m) => {
        if (m.seq > (newestSeq.current.get(m.conversationId) ?? 0))
          newestSeq.current.set(m.conversationId, m.seq);
      }),
    [client],
  );

  return useCallback((conversationId: string) => {
    const listed = list.current?.find((c) => c.id === conversationId)?.lastSeq ?? 0;
    return Math.max(listed, newestSeq.current.get(conversationId) ?? 0);
  }, []);
}
