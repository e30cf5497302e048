import type { ChatClient } from '../client/chat-client.ts';
import type { ConnectionStatus } from '../hooks/use-client-status.ts';
import { UserSearch } from './user-search.tsx';

const statusText: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Connected',
  reconnecting: 'Offline — reconnecting…',
  closed: 'Disconnected',
};

interface Props {
  client: ChatClient;
  status: ConnectionStatus;
  onStart: (peer: { userId: string } | { username: string }) => Promise<void>;
  onDevices: () => void;
  onAccount: () => void;
  onLogout: () => void;
}

export function AppHeader({ client, status, onStart, onDevices, onAccount, onLogout }: Props) {
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">rchat</span>
      </div>
      <UserSearch client={client} onStart={onStart} />
      <div className="account">
        <span role="status" className={`connection ${status}`} title={statusText[status]}>
          <span className="connection-dot" aria-hidden="true" />
          <span className={status === 'live' ? 'sr-only' : 'connection-text'}>
            {statusText[status]}
          </span>
        </span>
        <span className="current-user" aria-label={`Signed in as ${client.username}`}>
          {client.username}
        </span>
        <button type="button" className="button" aria-haspopup="dialog" onClick={onDevices}>
          Devices
        </button>
        <button type="button" className="button" aria-haspopup="dialog" onClick={onAccount}>
          Account
        </button>
        <button type="button" className="button" onClick={onLogout}>
          Log out
        </button>
      </div>
    </header>
  );
}
