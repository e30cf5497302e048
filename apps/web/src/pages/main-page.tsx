import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import '../styles/main.css';
import '../styles/conversation.css';
import '../styles/devices.css';
import type { ChatClient, SecurityAlert } from '../client/chat-client.ts';
import {
  actionErrorText,
  endsSession,
  errorCode,
  identityResetText,
} from '../client/error-text.ts';
import { AppHeader } from '../components/app-header.tsx';
import { ConversationList } from '../components/conversation-list.tsx';
import { ConversationView } from '../components/conversation-view.tsx';
import { DevicesDialog } from '../components/devices-dialog.tsx';
import { AccountDialog } from '../components/account-dialog.tsx';
import { OtherTabNotice } from '../components/other-tab-notice.tsx';
import { useTabRole } from '../hooks/use-tab-role.ts';
import type { Tabs } from '../tabs/tabs.ts';
import { useConnectionStatus } from '../hooks/use-client-status.ts';
import { useConversations } from '../hooks/use-conversations.ts';
import { useDeviceChanges, type DeviceChange } from '../hooks/use-device-changes.ts';
import { useLastMessages } from '../hooks/use-last-messages.ts';
import { useLinePosition } from '../hooks/use-line-position.ts';
import { useSecurityAlerts, type AlertLine } from '../hooks/use-security-alerts.ts';
import { conversationPath, navigate } from '../router.ts';

const noChanges: DeviceChange[] = [];
const noAlerts: AlertLine[] = [];
const sessionEndedText =
  'Your session has ended (it expired, or this device was signed out). Log in again.';

interface Props {
  client: ChatClient;
  /** The browser's other tabs of rchat (null until known). */
  tabs: Tabs | null;
  conversationId: string | null;
  /** Back to the login page, with a sentence saying why when it was not the person's choice. */
  onSignedOut: (notice?: string) => void;
}

/**
 * Header, the conversation list and the open conversation; on narrow screens the list or the
 * conversation.
 */
export default function MainPage({ client, tabs, conversationId, onSignedOut }: Props) {
  const [notice, setNotice] = useState('');
  const role = useTabRole(tabs);
  // Warnings and alerts name users by id; say their usernames where the list knows them.
  const namesForIds = useRef((text: string) => text);
  // A session that cannot go on (expired, this device was removed, the account's identity was
  // reset) returns to the login page, once.
  // The reason may come a moment after the end (an identity reset's alert next to the closed
  // stream): the most specific one is told.
  const ended = useRef<string | null>(null);
  const endSession = useCallback(
    (why?: string) => {
      const first = ended.current === null;
      if (why || first) ended.current = why ?? sessionEndedText;
      if (!first) return;
      void client
        .logout()
        .catch(() => undefined)
        .finally(() => onSignedOut(ended.current ?? sessionEndedText));
    },
    [client, onSignedOut],
  );
  const report = useCallback(
    (error: unknown) =>
      endsSession(error)
        ? endSession(errorCode(error) === 'IDENTITY_RESET' ? identityResetText : undefined)
        : setNotice(actionErrorText(error)),
    [endSession],
  );
  const { list, add, clearUnread } = useConversations(client, report);
  const status = useConnectionStatus(client);
  const lastMessages = useLastMessages(client);
  const position = useLinePosition(client, list);
  const deviceChanges = useDeviceChanges(client, position);
  const alertHandlers = useMemo(
    () => ({
      onAccountReset: () => endSession(identityResetText),
      onGeneral: (alert: SecurityAlert) => setNotice(namesForIds.current(alert.message)),
    }),
    [endSession],
  );
  const alerts = useSecurityAlerts(client, position, alertHandlers);
  const [devicesOpen, setDevicesOpen] = useState(false);
  const [accountOpen, setAccountOpen] = useState(false);

  // Listeners are in place (the hooks above and the children's effects run first); now open the
  // live stream.
  useEffect(() => {
    client.start().catch(report);
    if (client.backupWarnings.length > 0) setNotice(client.backupWarnings.join(' '));
    const offWarning = client.on('warning', (w) => {
      if (!w.conversationId) setNotice(namesForIds.current(w.message));
    });
    // While this page runs, the stream closes only when the session is over (stop() below comes
    // after unsubscribing).
    const offStatus = client.on('status', (status) => {
      if (status === 'closed') endSession();
    });
    return () => {
      offWarning();
      offStatus();
      client.stop();
    };
  }, [client, report, endSession]);

  useEffect(() => {
    if (!conversationId) document.title = 'rchat';
  }, [conversationId]);

  const start = useCallback(
    async (peer: { userId: string } | { username: string }) => {
      const conversation = await client.startConversation(peer);
      add(conversation);
      navigate(conversationPath(conversation.id));
    },
    [client, add],
  );

  const logout = useCallback(() => {
    // Signed out on this page even when the server cannot be told (the session then simply expires
    // there).
    client
      .logout()
      .catch(() => undefined)
      .finally(() => {
        onSignedOut();
        navigate('/login');
      });
  }, [client, onSignedOut]);

  const accountDeleted = useCallback(() => {
    ended.current = 'Your account was deleted.'; // the stream's end that follows is expected
    onSignedOut(ended.current);
    navigate('/login');
  }, [onSignedOut]);

  useEffect(() => {
    namesForIds.current = (text) =>
      (list ?? []).reduce((t, c) => t.replaceAll(`user ${c.peer.userId}`, c.peer.username), text);
  }, [list]);

  const open = list?.find((c) => c.id === conversationId) ?? null;
  return (
    <div className={conversationId ? 'main-page has-open' : 'main-page'}>
      <AppHeader
        client={client}
        status={status}
        onStart={start}
        onDevices={() => setDevicesOpen(true)}
        onAccount={() => setAccountOpen(true)}
        onLogout={logout}
      />
      {tabs && role === 'follower' && <OtherTabNotice tabs={tabs} />}
      <div className="panes">
        <nav className="sidebar" aria-label="Conversation list">
          <h2 className="sidebar-title">Conversations</h2>
          <ConversationList
            conversations={list}
            lastMessages={lastMessages}
            openId={conversationId}
            onOpen={(id) => navigate(conversationPath(id))}
          />
        </nav>
        <main className="content">
          {open ? (
            <ConversationView
              key={open.id}
              client={client}
              conversation={open}
              deviceChanges={deviceChanges.get(open.id) ?? noChanges}
              alerts={alerts.get(open.id) ?? noAlerts}
              onBack={() => navigate('/')}
              onRead={clearUnread}
              onError={report}
            />
          ) : (
            <div className="empty-state">
              {conversationId && list ? (
                <p>This conversation does not exist, or you are not a member of it.</p>
              ) : (
                <>
                  <p className="empty-title">Pick a conversation</p>
                  <p>
                    Choose one on the left, or search for a username above and choose Start
                    conversation. Every message is end-to-end encrypted.
                  </p>
                </>
              )}
            </div>
          )}
        </main>
      </div>
      {devicesOpen && <DevicesDialog client={client} onClose={() => setDevicesOpen(false)} />}
      {accountOpen && (
        <AccountDialog
          client={client}
          onClose={() => setAccountOpen(false)}
          onDeleted={accountDeleted}
        />
      )}
      {notice && (
        <div role="alert" className="toast">
          <span>{notice}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => setNotice('')}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
