import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ChatClient, ChatConversation, SecurityAlert } from '../client/chat-client.ts';
import { useConversationDevices } from '../hooks/use-conversation-devices.ts';
import { deviceChangeText, type DeviceChange } from '../hooks/use-device-changes.ts';
import { useDocumentVisible } from '../hooks/use-document-visible.ts';
import { useMessages } from '../hooks/use-messages.ts';
import { useSafetyNumber } from '../hooks/use-safety-number.ts';
import type { AlertLine } from '../hooks/use-security-alerts.ts';
import { initial } from '../format.ts';
import { Composer } from './composer.tsx';
import { ConversationDetails } from './conversation-details.tsx';
import { IdentityChangeBanner } from './identity-change-banner.tsx';
import { MessageLog, type SystemLine } from './message-log.tsx';

interface Props {
  client: ChatClient;
  conversation: ChatConversation;
  /** Devices that joined or left since the page opened (system lines among the messages). */
  deviceChanges: DeviceChange[];
  /**
   * Security alerts about this conversation since the page opened (warning lines among the
   * messages).
   */
  alerts: AlertLine[];
  onBack: () => void;
  /** The conversation was read up to its newest message (the list shows it as read right away). */
  onRead: (id: string) => void;
  onError: (error: unknown) => void;
}

function subtitle(conversation: ChatConversation, verified: boolean): string {
  switch (conversation.encryption) {
    case 'ready':
      return verified ? 'End-to-end encrypted · verified' : 'End-to-end encrypted';
    case 'identity-changed':
      return 'Encryption identity changed · sending paused';
    default:
      return 'Setting up encryption on this device…';
  }
}

/**
 * An alert as a line in the log: a changed identity briefly (the banner above says the rest),
 * others as the SDK words them, with names for user ids.
 */
function alertText(alert: SecurityAlert, nameOf: (userId: string) => string): string {
  if (alert.kind === 'peer-identity-changed' && alert.userId)
    return `${nameOf(alert.userId)}'s encryption identity changed`;
  return alert.message.replace(/user ([0-9a-f-]{36})/g, (_, id: string) => nameOf(id));
}

/**
 * The device and alert lines of the conversation, in the order they came, with names for user ids.
 */
function useSystemLines(
  deviceChanges: DeviceChange[],
  alerts: AlertLine[],
  nameOf: (userId: string) => string,
): SystemLine[] {
  return useMemo(() => {
    const devices = deviceChanges.map((c) => ({
      key: c.key,
      afterSeq: c.afterSeq,
      text: deviceChangeText(c, nameOf),
    }));
    const warnings = alerts.map(({ key, afterSeq, alert }) => ({
      key,
      afterSeq,
      text: alertText(alert, nameOf),
      warning: true,
    }));
    // Stable: lines at the same position keep the order in which they were added to each list.
    return [...devices, ...warnings].sort((a, b) => a.afterSeq - b.afterSeq);
  }, [deviceChanges, alerts, nameOf]);
}

/** One open conversation: header, identity and safety details, messages and the composer. */
export function ConversationView({
  client,
  conversation,
  deviceChanges,
  alerts,
  onBack,
  onRead,
  onError,
}: Props) {
  const { id, peer, unreadCount, encryption, identityChange } = conversation;
  const data = useMessages(client, id, onError);
  const safety = useSafetyNumber(client, id, encryption);
  const devices = useConversationDevices(client, id, encryption);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const visible = useDocumentVisible();
  const detailsId = useId();

  const nameOf = useCallback(
    (userId: string) =>
      userId === peer.userId
        ? peer.username
        : userId === client.userId
          ? client.username
          : (devices.names.get(userId) ?? `user ${userId}`),
    [peer, client, devices.names],
  );
  const systemLines = useSystemLines(deviceChanges, alerts, nameOf);
  // Nothing can follow a deletion, so its line goes after everything.
  const lines = useMemo(
    () =>
      peer.deleted
        ? [
            ...systemLines,
            {
              key: 'peer-deleted',
              afterSeq: Number.MAX_SAFE_INTEGER,
              text: `${peer.username} deleted their account`,
            },
          ]
        : systemLines,
    [systemLines, peer.username, peer.deleted],
  );

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

  const send = useCallback(
    (text: string) => void client.sendText(id, text).catch(onError),
    [client, id, onError],
  );
  const retry = useCallback(
    (clientMsgId: string) => void client.retry(clientMsgId).catch(onError),
    [client, onError],
  );
  const accept = useCallback(() => client.acceptIdentityChange(id), [client, id]);
  // From a banner: open the details (with the safety number) and take the reader there.
  const showDetails = useCallback(() => {
    setDetailsOpen(true);
    requestAnimationFrame(() => {
      const details = document.getElementById(detailsId);
      details?.scrollIntoView({ block: 'nearest' });
      details?.focus();
    });
  }, [detailsId]);

  const changed =
    encryption === 'identity-changed'
      ? (identityChange ?? { userId: peer.userId, username: peer.username, resetAt: null })
      : null;
  return (
    <section className="conversation" aria-labelledby={`${detailsId}-title`}>
      <header className="conversation-head">
        <button
          type="button"
          className="icon-button back-button"
          onClick={onBack}
          aria-label="Back to conversations"
        >
          <span aria-hidden="true">←</span>
        </button>
        <span className="avatar" aria-hidden="true">
          {initial(peer.username)}
        </span>
        <div className="conversation-title">
          <h2 id={`${detailsId}-title`}>{peer.username}</h2>
          <span className="conversation-sub">
            {subtitle(conversation, safety.info?.verified === true)}
          </span>
        </div>
        <button
          type="button"
          className="button"
          aria-expanded={detailsOpen}
          aria-controls={detailsId}
          onClick={() => setDetailsOpen((o) => !o)}
        >
          Details
        </button>
      </header>
      <div className="conversation-notices">
        {changed && (
          <IdentityChangeBanner change={changed} onAccept={accept} onCompare={showDetails} />
        )}
        {detailsOpen && (
          <ConversationDetails
            id={detailsId}
            peerName={peer.username}
            safety={safety}
            devices={devices}
            ownUserId={client.userId}
            onClose={() => setDetailsOpen(false)}
          />
        )}
      </div>
      <MessageLog
        peerName={peer.username}
        data={data}
        lines={lines}
        onRetry={retry}
        onAtBottom={markRead}
      />
      {peer.deleted ? (
        <p className="composer-closed" role="note">
          {peer.username} deleted their account. You can read your history here, but no new messages
          can be sent.
        </p>
      ) : (
        <Composer
          peerName={peer.username}
          onSend={send}
          blocked={
            changed
              ? `You cannot send messages here until you accept ${changed.username}'s new encryption identity (see above).`
              : null
          }
        />
      )}
    </section>
  );
}
