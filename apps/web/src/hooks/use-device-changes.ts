import { useEffect, useRef, useState } from 'react';
import type { ChatClient } from '../client/chat-client.ts';

/** Devices of one person joined or left a conversation's encryption (seen by this page since it opened). */
export interface DeviceChange {
  key: string;
  /** Whose devices: the account's own (`thisDevice` when it is the device this page runs on), or another user's. */
  owner: { own: true; thisDevice: boolean } | { own: false; userId: string };
  change: 'added' | 'removed';
  count: number;
  /** Shown after the conversation's messages up to this position. */
  afterSeq: number;
}

/**
 * The system line for a change: "bob added a device", "You added a new device"
 * (another device of this account, linked or restored), "This device joined
 * the conversation" (this one, from a Welcome). `nameOf` gives another user's
 * username — the owner of the device, never simply the peer.
 */
export function deviceChangeText({ owner, change, count }: DeviceChange, nameOf: (userId: string) => string): string {
  const devices = count === 1 ? 'a device' : `${count} devices`;
  if (!owner.own) return `${nameOf(owner.userId)} ${change} ${devices}`;
  if (owner.thisDevice) return change === 'added' ? 'This device joined the conversation' : 'This device was removed from the conversation';
  if (change === 'removed') return `You removed ${devices}`;
  return count === 1 ? 'You added a new device' : `You added ${count} new devices`;
}

type Ref = { userId: string; deviceId: string };

/**
 * The lines for one `devices` event, one per owner and direction. A device
 * reported again in the state it is already in (the same commit seen twice,
 * say from this device's own commit and from the stream) adds no line.
 */
function linesFor(event: { added: Ref[]; removed: Ref[] }, me: { userId: string; deviceId: string }, state: Map<string, 'added' | 'removed'>, afterSeq: number, nextKey: () => string): DeviceChange[] {
  const lines: DeviceChange[] = [];
  for (const [change, refs] of [['added', event.added], ['removed', event.removed]] as const) {
    const groups = new Map<string, { owner: DeviceChange['owner']; count: number }>();
    for (const ref of refs) {
      if (state.get(ref.deviceId) === change) continue;
      state.set(ref.deviceId, change);
      const thisDevice = ref.deviceId === me.deviceId;
      const owner: DeviceChange['owner'] = ref.userId === me.userId ? { own: true, thisDevice } : { own: false, userId: ref.userId };
      const group = `${ref.userId}/${thisDevice}`;
      const existing = groups.get(group);
      if (existing) existing.count++;
      else groups.set(group, { owner, count: 1 });
    }
    for (const { owner, count } of groups.values()) lines.push({ key: nextKey(), owner, change, count, afterSeq });
  }
  return lines;
}

/**
 * Device changes per conversation, from the client's `devices` events (which
 * also come for this device's own commits and when it joins from a Welcome),
 * each placed at `position(conversationId)`. Kept in memory for the page's life.
 */
export function useDeviceChanges(client: ChatClient, position: (conversationId: string) => number): ReadonlyMap<string, DeviceChange[]> {
  const [changes, setChanges] = useState<ReadonlyMap<string, DeviceChange[]>>(new Map());
  const lastKey = useRef(0);

  useEffect(() => {
    // The last change seen per device, per conversation.
    const states = new Map<string, Map<string, 'added' | 'removed'>>();
    return client.on('devices', ({ conversationId, added, removed }) => {
      const state = states.get(conversationId) ?? new Map<string, 'added' | 'removed'>();
      states.set(conversationId, state);
      const lines = linesFor({ added, removed }, client, state, position(conversationId), () => `device-change-${++lastKey.current}`);
      if (lines.length > 0) setChanges((prev) => new Map(prev).set(conversationId, [...(prev.get(conversationId) ?? []), ...lines]));
    });
  }, [client, position]);

  return changes;
}
