import { memo } from 'react';
import type { ChatMessage, MessageContent } from '../client/chat-client.ts';
import { assertNever } from '@rchat/protocol';
import { fullTime, messageTime } from '../format.ts';

function ContentView({ content }: { content: MessageContent }) {
  switch (content.kind) {
    case 'text':
      return <p className="message-text">{content.text}</p>;
    case 'unknown':
      return (
        <p className="message-text notice">
          This message has a type ({content.type}) that this version of rchat cannot show yet.
        </p>
      );
    case 'undecryptable':
      return (
        <p className="message-text notice warning">
          This message could not be decrypted: {content.reason}
        </p>
      );
    case 'unavailable':
      return (
        <p className="message-text notice">
          This message was sent before this device joined the conversation, so it cannot be read
          here.
        </p>
      );
    default:
      return assertNever(content);
  }
}

function Status({
  message,
  onRetry,
}: {
  message: ChatMessage;
  onRetry: (clientMsgId: string) => void;
}) {
  switch (message.status) {
    case 'queued':
      return (
        <span
          className="message-status queued"
          title="Saved on this device; it is sent by itself when the server can be reached"
        >
          <span aria-hidden="true">◷</span> Queued — will send when online
        </span>
      );
    case 'sending':
      return (
        <span className="message-status sending" title="Sending">
          <span aria-hidden="true">◷</span> Sending…
        </span>
      );
    case 'sent':
      return (
        <span className="message-status sent" title="Sent">
          <span aria-hidden="true">✓</span>
          <span className="sr-only">Sent</span>
        </span>
      );
    case 'failed':
      return (
        <span className="message-status failed" title={message.failure?.message}>
          <span aria-hidden="true">!</span> Not sent.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => onRetry(message.clientMsgId)}
          >
            Retry
          </button>
        </span>
      );
    default:
      return assertNever(message.status);
  }
}

interface Props {
  message: ChatMessage;
  senderName: string;
  /** Same sender as the message before, shortly before: drawn closer to it. */
  continued: boolean;
  onRetry: (clientMsgId: string) => void;
}

/** One message: own messages on the right with their send state, others' on the left. */
export const MessageItem = memo(function MessageItem({
  message,
  senderName,
  continued,
  onRetry,
}: Props) {
  const at = new Date(message.createdAt ?? message.sentAt);
  const classes = [
    'message',
    message.own ? 'own' : 'theirs',
    continued ? 'continued' : '',
    message.status === 'failed' ? 'failed' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes} data-status={message.status}>
      <div className="bubble">
        <span className="sr-only">{message.own ? 'You' : senderName}: </span>
        <ContentView content={message.content} />
        <span className="message-meta">
          <time dateTime={at.toISOString()} title={fullTime(at)}>
            {messageTime(at)}
          </time>
          {message.own && <Status message={message} onRetry={onRetry} />}
        </span>
      </div>
    </li>
  );
});
