import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatClient, SafetyNumberInfo } from '../client/chat-client.ts';

export interface SafetyNumber {
  info: SafetyNumberInfo | null;
  /** Why it could not be computed (for example, the peer's keys are not known yet). */
  error: unknown;
  markVerified(): Promise<void>;
}

/** The safety number of a conversation, looked at again after each warning (such as an identity key change). */
export function useSafetyNumber(client: ChatClient, conversationId: string, ready: boolean): SafetyNumber {
  const [info, setInfo] = useState<SafetyNumberInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  // Loads can overlap (a warning while marking verified): only the newest one's answer counts.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    try {
      const next = await client.safetyNumber(conversationId);
      if (request !== latest.current) return;
      setInfo(next);
      setError(null);
    } catch (e) {
      if (request === latest.current) setError(e);
    }
  }, [client, conversationId]);

  useEffect(() => {
    if (ready) void load();
    // A warning may be an identity key change (of this peer or another): look again.
    return client.on('warning', (w) => {
      if (ready && (w.conversationId === undefined || w.conversationId === conversationId)) void load();
    });
  }, [client, conversationId, ready, load]);

  const markVerified = useCallback(async () => {
    await client.markVerified(conversationId);
    await load();
  }, [client, conversationId, load]);

  return { info, error, markVerified };
}
