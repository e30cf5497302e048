import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatClient, ChatMessage } from '../client/chat-client.ts';

export const PAGE_SIZE = 50;

const same = (a: ChatMessage, b: ChatMessage) =>
  (a.id !== null && a.id === b.id) ||
  (a.clientMsgId !== '' && a.clientMsgId === b.clientMsgId && a.senderUserId === b.senderUserId);

// Stored messages by their position; ones still sending (seq 0) after them in the order they were
// written.
const order = (a: ChatMessage, b: ChatMessage) =>
  (a.seq || Number.MAX_SAFE_INTEGER) - (b.seq || Number.MAX_SAFE_INTEGER) || a.sentAt - b.sentAt;

function merge(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const rest = list.filter((m) => !incoming.some((n) => same(m, n)));
  return [...rest, ...incoming].sort(order);
}

export interface ConversationMessages {
  /** Oldest first. */
  messages: ChatMessage[];
  state: 'loading' | 'ready' | 'loading-older' | 'failed';
  /** True once the first message of the conversation is loaded. */
  complete: boolean;
  loadOlder(): void;
  /** Loads again the page that failed. */
  retry(): void;
}

/**
 * History of one conversation, paged backwards, with live messages and send-status changes merged
 * in.
 */
export function useMessages(
  client: ChatClient,
  conversationId: string,
  onError: (error: unknown) => void,
): ConversationMessages {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [state, setState] = useState<ConversationMessages['state']>('loading');
  const nextBefore = useRef<number | null>(null);
  const [complete, setComplete] = useState(false);
  const busy = useRef(true);

  const loadPage = useCallback(
    async (before: number | null) => {
      busy.current = true;
      setState(before === null ? 'loading' : 'loading-older');
      try {
        const page = await client.history(conversationId, {
          limit: PAGE_SIZE,
          ...(before === null ? {} : { before }),
        });
        nextBefore.current = page.nextBefore;
        setComplete(page.nextBefore === null);
        setMessages((prev) => merge(prev, page.messages));
        setState('ready');
      } catch (e) {
        setState('failed');
        onError(e);
      } finally {
        busy.current = false;
      }
    },
    [client, conversationId, onError],
  );

  useEffect(() => {
    const off = client.on('message', (m) => {
      if (m.conversationId === conversationId) setMessages((prev) => merge(prev, [m]));
    });
    void loadPage(null);
    return off;
  }, [client, conversationId, loadPage]);

  const loadOlder = useCallback(() => {
    if (busy.current || nextBefore.current === null) return;
    void loadPage(nextBefore.current);
  }, [loadPage]);

  const empty = messages.length === 0;
  const retry = useCallback(() => {
    if (!busy.current) void loadPage(empty ? null : nextBefore.current);
  }, [loadPage, empty]);

  return { messages, state, complete, loadOlder, retry };
}
