import { useCallback, useEffect, useState } from 'react';
import type { ChatClient, ChatConversation } from '../client/chat-client.ts';

const byActivity = (a: ChatConversation, b: ChatConversation) =>
  Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);

function upsert(list: ChatConversation[], conversation: ChatConversation): ChatConversation[] {
  return [conversation, ...list.filter((c) => c.id !== conversation.id)].sort(byActivity);
}

export interface Conversations {
  /** Most recent activity first; null while loading. */
  list: ChatConversation[] | null;
  add(conversation: ChatConversation): void;
  /** Shows a conversation as read right away (the SDK confirms with a `conversation` event). */
  clearUnread(id: string): void;
}

/** The conversation list, kept current by the client's `conversation` events. */
export function useConversations(
  client: ChatClient,
  onError: (error: unknown) => void,
): Conversations {
  const [list, setList] = useState<ChatConversation[] | null>(null);

  useEffect(() => {
    let active = true;
    const off = client.on('conversation', (c) => setList((prev) => upsert(prev ?? [], c)));
    client.conversations().then(
      // Events that arrived while loading are newer than the loaded list.
      (loaded) =>
        active && setList((prev) => (prev ?? []).reduce(upsert, [...loaded].sort(byActivity))),
      (e: unknown) => {
        if (!active) return;
        setList((prev) => prev ?? []);
        onError(e);
      },
    );
    return () => {
      active = false;
      off();
    };
  }, [client, onError]);

  const add = useCallback((c: ChatConversation) => setList((prev) => upsert(prev ?? [], c)), []);
  const clearUnread = useCallback(
    (id: string) =>
      setList(
        (prev) =>
          prev?.map((c) =>
            c.id === id && c.unreadCount > 0 ? { ...c, unreadCount: 0, readSeq: c.lastSeq } : c,
          ) ?? null,
      ),
    [],
  );
  return { list, add, clearUnread };
}
