import { useCallback, useEffect, useState } from 'react';
import type { ChatClient, ConversationDevice } from '../client/chat-client.ts';
import { useNewestAnswer } from './use-newest-answer.ts';

export interface ConversationDevices {
  /** Every device in the conversation's encryption; null while loading. */
  list: ConversationDevice[] | null;
  /** Why the list could not be loaded. */
  error: unknown;
  /**
   * Usernames of every device owner this list has shown since the conversation opened (a removed
   * device's too).
   */
  names: ReadonlyMap<string, string>;
  reload(): void;
}

/**
 * The devices that can read a conversation, loaded again whenever a device joins or leaves it or
 * its encryption state changes.
 */
export function useConversationDevices(
  client: ChatClient,
  conversationId: string,
  encryption: string,
): ConversationDevices {
  const [list, setList] = useState<ConversationDevice[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  // Loads can overlap (two device changes in a row): only the newest one's answer counts.
  const newest = useNewestAnswer();
  const load = useCallback(
    () =>
      newest(
        () => client.conversationDevices(conversationId),
        (devices) => {
          setList(devices);
          setError(null);
          setNames((prev) =>
            devices.every((d) => prev.get(d.userId) === d.username)
              ? prev
              : new Map([...prev, ...devices.map((d) => [d.userId, d.username] as const)]),
          );
        },
        setError,
      ),
    [client, conversationId, newest],
  );

  useEffect(() => {
    void load();
    return client.on('devices', (change) => {
      if (change.conversationId === conversationId) void load();
    });
  }, [client, conversationId, encryption, load]);

  const reload = useCallback(() => void load(), [load]);
  return { list, error, names, reload };
}
