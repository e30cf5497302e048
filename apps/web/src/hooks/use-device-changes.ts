import { useEffect, useRef, useState } from 'react';
import type { ChatClient, ConversationDevice } from '../client/chat-client.ts';

/**
 * Devices of one person joined or left a conversation's encryption (seen by this page since it
 * opened).
 */
export interface DeviceChange {
  key: string;
  /**
   * Whose devices: the account's own (`thisDevice` when it is the device this
   * page runs on), or another user's (`first` when that user had no other
   * device in the conversation: it was just created, or their identity reset accepted).
   */
  owner: { own: true; thisDevice: boolean } | { own: false; userId: string; first: boolean };
  change: 'added' | 'removed';
  count: number;
  /** Shown after the conversation's messages up to this position. */
  afterSeq: number;
}

/**
 * The system line for a change, true whichever member's device made the
 * commit: "bob added a device" (another device next to bob's others), "bob's
 * device joined the conversation" (bob's first), "You added a new device"
 * (another device of this account, linked or restored), "This device joined
 * the conversation" (this one, from a Welcome). `nameOf` gives another user's
 * username — the owner of the device, never simply the peer.
 */
export function deviceChangeText(
  { owner, change, count }: DeviceChange,
  nameOf: (userId: string) => string,
): string {
  const devices = count === 1 ? 'a device' : `${count} devices`;
  if (!owner.own) {
    const name = nameOf(owner.userId);
    if (change === 'added' && owner.first)
      return count === 1
        ? `${name}'s device joined the conversation`
        : `${name}'s ${count} devices joined the conversation`;
    return `${name} ${change} ${devices}`;
  }
  if (owner.thisDevice)
    return change === 'added'
      ? 'This device joined the conversation'
      : 'This device was removed from the conversation';
  if (change === 'removed') return `You removed ${devices}`;
  return count === 1 ? 'You added a new device' : `You added ${count} new devices`;
}

type Ref = { userId: string; deviceId: string };
type DevicesEvent = { added: Ref[]; removed: Ref[] };

/** Whether the user has a device in the conversation besides `added` (null: not known). */
const hadOthers = (present: ConversationDevice[] | null, userId: string, added: Ref[]) =>
  present === null ||
  present.some((d) => d.userId === userId && !added.some((a) => a.deviceId === d.deviceId));

/**
 * The lines for one `devices` event, one per owner and direction. A device
 * reported again in the state it is already in (the same commit seen twice,
 * say from this device's own commit and from the stream) adds no line.
 * `present` is the conversation's devices after the change (null if unknown).
 */
function linesFor(
  event: DevicesEvent,
  present: ConversationDevice[] | null,
  me: Ref,
  state: Map<string, 'added' | 'removed'>,
  afterSeq: number,
  nextKey: () => string,
): DeviceChange[] {
  const lines: DeviceChange[] = [];
  for (const [change, refs] of [
    ['added', event.added],
    ['removed', event.removed],
  ] as const) {
    const groups = new Map<string, { owner: DeviceChange['owner']; count: number }>();
    for (const ref of refs.filter((r) => state.get(r.deviceId) !== change)) {
      state.set(ref.deviceId, change);
      const thisDevice = ref.deviceId === me.deviceId;
      const group = `${ref.userId}/${thisDevice}`;
      const existing = groups.get(group);
      if (existing) existing.count++;
      else {
        const first = change === 'added' && !hadOthers(present, ref.userId, refs);
        groups.set(group, {
          owner:
            ref.userId === me.userId
              ? { own: true, thisDevice }
              : { own: false, userId: ref.userId, first },
          count: 1,
        });
      }
    }
    for (const { owner, count } of groups.values())
      lines.push({ key: nextKey(), owner, change, count, afterSeq });
  }
  return lines;
}

/**
 * Device changes per conversation, from the client's `devices` events (which
 * also come for this device's own commits and when it joins from a Welcome),
 * each placed at `position(conversationId)` when it came. Events are handled
 * one after another, each after looking up who else is in the conversation.
 * Kept in memory for the page's life.
 */
export function useDeviceChanges(
  client: ChatClient,
  position: (conversationId: string) => number,
): ReadonlyMap<string, DeviceChange[]> {
  const [changes, setChanges] = useState<ReadonlyMap<string, DeviceChange[]>>(new Map());
  const lastKey = useRef(0);

  useEffect(() => {
    // The last change seen per device, per conversation.
    const states = new Map<string, Map<string, 'added' | 'removed'>>();
    let queue = Promise.resolve();
    let active = true;
    const off = client.on('devices', ({ conversationId, added, removed }) => {
      const afterSeq = position(conversationId);
      queue = queue.then(async () => {
        const present =
          added.length > 0
            ? await client.conversationDevices(conversationId).catch(() => null)
            : null;
        const state = states.get(conversationId) ?? new Map<string, 'added' | 'removed'>();
        states.set(conversationId, state);
        const lines = linesFor(
          { added, removed },
          present,
          client,
          state,
          afterSeq,
          () => `device-change-${++lastKey.current}`,
        );
        if (active && lines.length > 0)
          setChanges((prev) =>
            new Map(prev).set(conversationId, [...(prev.get(conversationId) ?? []), ...lines]),
          );
      });
    });
    return () => {
      active = false;
      off();
    };
  }, [client, position]);

  return changes;
}
