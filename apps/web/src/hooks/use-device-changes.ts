import { useEffect, useRef, useState } from 'react';
import type { ChatClient, ChatConversation } from '../client/chat-client.ts';

/** Someone's devices joined or left a conversation's encryption (seen by this page since it opened). */
export interface DeviceChange {
  key: string;
  /** True when the devices are this account's own. */
  own: boolean;
  change: 'added' | 'removed';
  count: number;
  /** Shown after the conversation's messages up to this position. */
  afterSeq: number;
}

/** The system line for a change, e.g. "bob added a device" or (a device of this account, linked or restored) "You added a new device". */
export function deviceChangeText({ own, change, count }: DeviceChange, peerName: string): string {
  const devices = count === 1 ? 'a device' : `${count} devices`;
  if (!own) return `${peerName} ${change} ${devices}`;
  if (change === 'removed') return `You removed ${devices}`;
  return count === 1 ? 'You added a new device' : `You added ${count} new devices`;
}

/**
 * Device changes per conversation, from the client's `devices` events, each
 * placed after the newest message this page knew of when it came. Kept in
 * memory for the page's life.
 */
export function useDeviceChanges(client: ChatClient, conversations: ChatConversation[] | null): ReadonlyMap<string, DeviceChange[]> {
  const [changes, setChanges] = useState<ReadonlyMap<string, DeviceChange[]>>(new Map());
  const newestSeq = useRef(new Map<string, number>());
  const lastKey = useRef(0);
  const list = useRef(conversations);
  useEffect(() => {
    list.current = conversations;
  }, [conversations]);

  useEffect(() => {
    const offMessage = client.on('message', (m) => {
      if (m.seq > (newestSeq.current.get(m.conversationId) ?? 0)) newestSeq.current.set(m.conversationId, m.seq);
    });
    const offDevices = client.on('devices', ({ conversationId, added, removed }) => {
      const listed = list.current?.find((c) => c.id === conversationId)?.lastSeq ?? 0;
      const afterSeq = Math.max(listed, newestSeq.current.get(conversationId) ?? 0);
      const lines: DeviceChange[] = [];
      for (const [change, refs] of [['added', added], ['removed', removed]] as const) {
        for (const own of [true, false]) {
          const count = refs.filter((r) => (r.userId === client.userId) === own).length;
          if (count > 0) lines.push({ key: `device-change-${++lastKey.current}`, own, change, count, afterSeq });
        }
      }
      if (lines.length > 0) setChanges((prev) => new Map(prev).set(conversationId, [...(prev.get(conversationId) ?? []), ...lines]));
    });
    return () => {
      offMessage();
      offDevices();
    };
  }, [client]);

  return changes;
}
