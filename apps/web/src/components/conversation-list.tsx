import type { MouseEvent } from 'react';
import type { ChatConversation, ChatMessage } from '../client/chat-client.ts';
import { initial, shortTime } from '../format.ts';
import { conversationPath } from '../router.ts';

interface Props {
  conversations: ChatConversation[] | null;
  /** Newest message per conversation, where this page has seen one. */
  lastMessages: ReadonlyMap<string, ChatMessage>;
  openId: string | null;
  onOpen: (id: string) => void;
}

const unreadText = (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`);

function preview(c: ChatConversation, last: ChatMessage | undefined, unread: number): string {
  // Until it is accepted, the changed identity matters more than the newest message.
  if (c.encryption === 'identity-changed')
    return `${c.identityChange?.username ?? c.peer.username}'s encryption identity changed: sending paused`;
  if (last?.content.kind === 'text')
    return `${last.own ? 'You: ' : ''}${last.content.text.split('\n')[0] ?? ''}`;
  if (unread > 0) return unread === 1 ? '1 new message' : `${unread} new messages`;
  return c.encryption === 'ready' ? 'End-to-end encrypted' : 'Setting up encryption…';
}

/**
 * The conversations, most recent activity first; ones with unread messages stand out and say so.
 */
export function ConversationList({ conversations, lastMessages, openId, onOpen }: Props) {
  function open(event: MouseEvent, id: string) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(id);
  }

  if (conversations === null) return <p className="list-note">Loading conversations…</p>;
  return (
    <>
      <ul role="list" aria-label="Conversations" className="conversation-list">
        {conversations.map((c) => {
          const unread = c.id === openId ? 0 : c.unreadCount;
          const changed = c.encryption === 'identity-changed';
          const label = [
            c.peer.username,
            ...(unread > 0 ? [unreadText(unread)] : []),
            ...(changed ? ['encryption identity changed'] : []),
          ].join(', ');
          const classes = [
            'conversation-item',
            unread > 0 ? 'unread' : '',
            changed ? 'identity-changed-item' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <li key={c.id} role="listitem" aria-label={label} className={classes}>
              <a
                href={conversationPath(c.id)}
                aria-current={c.id === openId ? 'page' : undefined}
                onClick={(e) => open(e, c.id)}
              >
                <span className="avatar" aria-hidden="true">
                  {initial(c.peer.username)}
                </span>
                <span className="conversation-name">{c.peer.username}</span>
                <time className="conversation-time" dateTime={c.lastActivityAt}>
                  {shortTime(new Date(c.lastActivityAt))}
                </time>
                <span className="conversation-preview">
                  {preview(c, lastMessages.get(c.id), unread)}
                </span>
                {unread > 0 && (
                  <span className="unread-badge">
                    {unread}
                    <span className="sr-only"> unread</span>
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      {conversations.length === 0 && (
        <p className="list-note">
          No conversations yet. Search for a username above and choose Start conversation.
        </p>
      )}
    </>
  );
}
