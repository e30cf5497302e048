import { useCallback, useEffect, useState } from 'react';
import type { ChatClient, ChatConversation, SafetyNumberInfo } from '../client/chat-client.ts';
import { useNewestAnswer } from './use-newest-answer.ts';

export interface SafetyNumber {
  info: SafetyNumberInfo | null;
  /** Why it could not be computed (for example, the peer's keys are not known yet). */
  error: unknown;
  markVerified(): Promise<void>;
}

/**
 * The safety number of a conversation, looked at again when its encryption
 * state changes (an identity change, or accepting one) and after each warning.
 * Not computed while this device waits for the conversation's keys.
 */
export function useSafetyNumber(
  client: ChatClient,
  conversationId: string,
  encryption: ChatConversation['encryption'],
): SafetyNumber {
  const ready = encryption !== 'waiting-for-keys';
  const [info, setInfo] = useState<SafetyNumberInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  // Loads can overlap (a warning while marking verified): only the newest one's answer counts.
  const newest = useNewestAnswer();
  const load = useCallback(
    () =>
      newest(
        () => client.safetyNumber(conversationId),
        (next) => {
          setInfo(next);
          setError(null);
        },
        setError,
      ),
    [client, conversationId, newest],
  );

  useEffect(() => {
    if (ready) void load();
    // A warning may be an identity key change (of this peer or another): look again.
    return client.on('warning', (w) => {
      if (ready && (w.conversationId === undefined || w.conversationId === conversationId))
        void load();
    });
  }, [client, conversationId, ready, encryption, load]);

  const markVerified = useCallback(async () => {
    await client.markVerified(conversationId);
    await load();
  }, [client, conversationId, load]);

  return { info, error, markVerified };
}
