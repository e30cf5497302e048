import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ChatClient, ChatConversation } from '../client/chat-client.ts';
import { deviceChangeText, type DeviceChange } from '../hooks/use-device-changes.ts';
import { useDocumentVisible } from '../hooks/use-document-visible.ts';
import { useMessages } from '../hooks/use-messages.ts';
import { useSafetyNumber } from '../hooks/use-safety-number.ts';
import { initial } from '../format.ts';
import { Composer } from './composer.tsx';
import { ConversationDetails, IdentityChangedBanner } from './conversation-details.tsx';
import { MessageLog } from './message-log.tsx';

interface Props {
  client: ChatClient;
  conversation: ChatConversation;
  /** Devices that joined or left since the page opened (system lines among the messages). */
  deviceChanges: DeviceChange[];
  onBack: () => void;
  /** The conversation was read up to its newest message (the list shows it as read right away). */
  onRead: (id: string) => void;
  onError: (error: unknown) => void;
}

/** One open conversation: header, safety details, messages and the composer. */
export function ConversationView({ client, conversation, deviceChanges, onBack, onRead, onError }: Props) {
  const { id, peer, unreadCount, encryption } = conversation;
  const data = useMessages(client, id, onError);
  const safety = useSafetyNumber(client, id, encryption === 'ready');
  const [detailsOpen, setDetailsOpen] = useState(false);
  const visible = useDocumentVisible();
  const detailsId = useId();
  const lines = useMemo(() => {
    const changes = deviceChanges.map((c) => ({ key: c.key, afterSeq: c.afterSeq, text: deviceChangeText(c, peer.username) }));
    // Nothing can follow a deletion, so its line goes after everything.
    return peer.deleted ? [...changes, { key: 'peer-deleted', afterSeq: Number.MAX_SAFE_INTEGER, text: `${peer.username} deleted their account` }] : changes;
  }, [deviceChanges, peer.username, peer.deleted]);

  useEffect(() => {
    document.title = `${peer.username} · rchat`;
  }, [peer.username]);

  const markRead = useCallback(() => {
    if (unreadCount === 0) return;
    onRead(id);
    client.markRead(id).catch(onError);
  }, [client, id, unreadCount, onRead, onError]);

  // Opening the conversation, or a message arriving while it is on screen, reads it.
  useEffect(() => {
    if (visible) markRead();
  }, [visible, markRead]);

  const send = useCallback((text: string) => void client.sendText(id, text).catch(onError), [client, id, onError]);
  const retry = useCallback((clientMsgId: string) => void client.retry(clientMsgId).catch(onError), [client, onError]);

  return (
    <section className="conversation" aria-labelledby={`${detailsId}-title`}>
      <header className="conversation-head">
        <button type="button" className="icon-button back-button" onClick={onBack} aria-label="Back to conversations">
          <span aria-hidden="true">←</span>
        </button>
        <span className="avatar" aria-hidden="true">
          {initial(peer.username)}
        </span>
        <div className="conversation-title">
          <h2 id={`${detailsId}-title`}>{peer.username}</h2>
          <span className="conversation-sub">
            {encryption === 'ready' ? (safety.info?.verified ? 'End-to-end encrypted · verified' : 'End-to-end encrypted') : 'Setting up encryption on this device…'}
          </span>
        </div>
        <button type="button" className="button" aria-expanded={detailsOpen} aria-controls={detailsId} onClick={() => setDetailsOpen((o) => !o)}>
          Details
        </button>
      </header>
      {safety.info?.identityKeyChanged && !safety.info.verified && <IdentityChangedBanner peerName={peer.username} onShow={() => setDetailsOpen(true)} />}
      {detailsOpen && <ConversationDetails id={detailsId} peerName={peer.username} safety={safety} onClose={() => setDetailsOpen(false)} />}
      <MessageLog peerName={peer.username} data={data} lines={lines} onRetry={retry} onAtBottom={markRead} />
      {peer.deleted ? (
        <p className="composer-closed" role="note">
          {peer.username} deleted their account. You can read your history here, but no new messages can be sent.
        </p>
      ) : (
        <Composer peerName={peer.username} onSend={send} />
      )}
    </section>
  );
}
