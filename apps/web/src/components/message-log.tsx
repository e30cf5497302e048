import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../client/chat-client.ts';
import type { ConversationMessages } from '../hooks/use-messages.ts';
import { MessageItem } from './message-item.tsx';

/** How close to an edge (px) counts as being there. */
const EDGE = 48;
/** Older messages load when the reader is this close to the top. */
const LOAD_AHEAD = 400;
const GROUP_MS = 5 * 60_000;

const keyOf = (m: ChatMessage) => (m.own ? `c:${m.clientMsgId}` : `m:${m.id ?? m.clientMsgId}`);

/**
 * A line about the conversation itself (a device joined or left, a security alert), shown among the
 * messages.
 */
export interface SystemLine {
  key: string;
  /** Shown after the messages up to this position. */
  afterSeq: number;
  text: string;
  /** Something that may be an attack (a refused device, a changed identity): shown as a warning. */
  warning?: boolean;
}

type Entry = { line: SystemLine } | { message: ChatMessage };

/**
 * The messages in order, each system line after the last message at or before its position;
 * messages still sending stay last.
 */
function interleave(messages: ChatMessage[], lines: SystemLine[]): Entry[] {
  const entries: Entry[] = [];
  const pending = [...lines];
  for (const message of messages) {
    const position = message.seq || Number.MAX_SAFE_INTEGER;
    while (pending[0] && pending[0].afterSeq < position)
      entries.push({ line: pending.shift() as SystemLine });
    entries.push({ message });
  }
  return [...entries, ...pending.map((line) => ({ line }))];
}

interface Props {
  peerName: string;
  data: ConversationMessages;
  lines: SystemLine[];
  onRetry: (clientMsgId: string) => void;
  /** Called when the reader is at the newest message (so the conversation can count as read). */
  onAtBottom: () => void;
}

/**
 * The messages of one conversation. Scrolling up loads older pages and keeps
 * the reader's place; new messages scroll into view only when the reader was
 * at the bottom (or sent them), otherwise a "new messages" button appears.
 */
export function MessageLog({ peerName, data, lines, onRetry, onAtBottom }: Props) {
  const { messages, state, complete, loadOlder, retry } = data;
  const logRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const rendered = useRef({ first: '', last: '', height: 0 });
  const [unseen, setUnseen] = useState(0);
  const entries = useMemo(() => interleave(messages, lines), [messages, lines]);

  const scrollToBottom = useCallback(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
    onAtBottom();
  }, [onAtBottom]);

  const onScroll = useCallback(() => {
    const el = logRef.current;
    if (!el) return;
    const wasAtBottom = atBottom.current;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE;
    if (atBottom.current && !wasAtBottom) {
      setUnseen(0);
      onAtBottom();
    }
    if (el.scrollTop < LOAD_AHEAD) loadOlder();
  }, [loadOlder, onAtBottom]);

  // Runs after the DOM has the new messages and before the browser paints them.
  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    const first = messages[0] ? keyOf(messages[0]) : '';
    const newest = messages[messages.length - 1];
    const last = newest ? keyOf(newest) : '';
    const before = rendered.current;
    if (before.first && first !== before.first && last === before.last) {
      // Older messages were added above: keep what the reader was looking at in place.
      el.scrollTop += el.scrollHeight - before.height;
    } else if (last !== before.last) {
      const appended = before.last
        ? messages.length - 1 - messages.findIndex((m) => keyOf(m) === before.last)
        : messages.length;
      if (!before.last || atBottom.current || (newest?.own && newest.status === 'sending')) {
        el.scrollTop = el.scrollHeight;
        atBottom.current = true;
      } else {
        const fromOthers = messages.slice(-appended).filter((m) => !m.own).length;
        if (fromOthers > 0) setUnseen((n) => n + fromOthers);
      }
    } else if (atBottom.current) {
      // Same messages (a status change, or a new system line): stay at the newest.
      el.scrollTop = el.scrollHeight;
    }
    rendered.current = { first, last, height: el.scrollHeight };
    // A first page shorter than the view cannot be scrolled up: load more right away.
    if (!complete && state === 'ready' && el.scrollHeight <= el.clientHeight + LOAD_AHEAD)
      loadOlder();
  }, [messages, lines, complete, state, loadOlder]);

  // Keep the newest message in view when the view itself resizes (window, on-screen keyboard,
  // composer growing).
  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  return (
    <div className="message-log-wrap">
      <div
        ref={logRef}
        className="message-log"
        role="log"
        aria-label="Messages"
        aria-busy={state === 'loading' || state === 'loading-older'}
        tabIndex={0}
        onScroll={onScroll}
      >
        {complete ? (
          <p className="log-start">
            This is the start of your conversation with {peerName}. Messages are end-to-end
            encrypted: only you and {peerName} can read them.
          </p>
        ) : state === 'failed' ? (
          <p className="log-start">
            Messages could not be loaded.{' '}
            <button type="button" className="link-button" onClick={retry}>
              Try again
            </button>
          </p>
        ) : state === 'ready' ? (
          <p className="log-start">
            <button type="button" className="link-button" onClick={loadOlder}>
              Load older messages
            </button>
          </p>
        ) : (
          <p className="log-start loading">Loading messages…</p>
        )}
        <ol className="messages">
          {entries.map((entry, i) => {
            if ('line' in entry) {
              return (
                <li
                  key={entry.line.key}
                  className={entry.line.warning ? 'system-line warning' : 'system-line'}
                >
                  {entry.line.text}
                </li>
              );
            }
            const m = entry.message;
            const before = entries[i - 1];
            const prev = before && 'message' in before ? before.message : undefined;
            const continued =
              !!prev && prev.senderUserId === m.senderUserId && m.sentAt - prev.sentAt < GROUP_MS;
            return (
              <MessageItem
                key={keyOf(m)}
                message={m}
                senderName={peerName}
                continued={continued}
                onRetry={onRetry}
              />
            );
          })}
        </ol>
      </div>
      {unseen > 0 && (
        <button type="button" className="new-messages" onClick={scrollToBottom}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`}{' '}
          <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}
