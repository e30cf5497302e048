import { useEffect, useRef, useState } from 'react';
import type { ChatClient, SecurityAlert } from '../client/chat-client.ts';

/** A security alert about one conversation, shown as a warning line among its messages. */
export interface AlertLine {
  key: string;
  alert: SecurityAlert;
  /** Shown after the conversation's messages up to this position. */
  afterSeq: number;
}

export interface AlertHandlers {
  /** Someone reset this account's encryption identity: this device can do nothing more. */
  onAccountReset(alert: SecurityAlert): void;
  /** An alert about no conversation in particular. */
  onGeneral(alert: SecurityAlert): void;
}

/**
 * The client's `alert` events: an account reset and alerts about no
 * conversation go to `handlers`; the others are kept per conversation (since
 * the page opened), for the conversation to show among its messages.
 */
export function useSecurityAlerts(
  client: ChatClient,
  position: (conversationId: string) => number,
  handlers: AlertHandlers,
): ReadonlyMap<string, AlertLine[]> {
  const [byConversation, setByConversation] = useState<ReadonlyMap<string, AlertLine[]>>(new Map());
  const lastKey = useRef(0);
  const { onAccountReset, onGeneral } = handlers;

  useEffect(
    () =>
      client.on('alert', (alert) => {
        if (alert.kind === 'account-identity-reset') return onAccountReset(alert);
        const { conversationId } = alert;
        if (conversationId === undefined) return onGeneral(alert);
        const line: AlertLine = {
          key: `alert-${++lastKey.current}`,
          alert,
          afterSeq: position(conversationId),
        };
        setByConversation((prev) =>
          new Map(prev).set(conversationId, [...(prev.get(conversationId) ?? []), line]),
        );
      }),
    [client, position, onAccountReset, onGeneral],
  );

  return byConversation;
}
