import { useEffect, useState } from 'react';
import type { ChatClient, ClientEvents } from '../client/chat-client.ts';

export type ConnectionStatus = Parameters<ClientEvents['status']>[0];

/** The live stream's state, as the client reports it. */
export function useConnectionStatus(client: ChatClient): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  useEffect(() => client.on('status', setStatus), [client]);
  return status;
}
