import type { ConversationDevice } from '../client/chat-client.ts';
import { dateTime } from '../format.ts';
import type { ConversationDevices } from '../hooks/use-conversation-devices.ts';
import { ListPending } from './list-pending.tsx';

/**
 * Other people's devices first, then this account's with this device first; each owner's by when
 * they were added.
 */
function sorted(devices: ConversationDevice[], ownUserId: string): ConversationDevice[] {
  const added = (d: ConversationDevice) => (d.addedAt ? Date.parse(d.addedAt) : 0);
  return [...devices].sort(
    (a, b) =>
      Number(a.userId === ownUserId) - Number(b.userId === ownUserId) ||
      a.username.localeCompare(b.username) ||
      Number(b.current) - Number(a.current) ||
      added(a) - added(b),
  );
}

function DeviceItem({ device }: { device: ConversationDevice }) {
  const name = device.name ?? 'Unnamed device';
  return (
    <li
      className="conversation-device"
      data-device-id={device.deviceId}
      aria-current={device.current ? 'true' : undefined}
    >
      <span className="device-name">
        <span className="device-owner">{device.username}</span> · {name}
        {device.current && ' (this device)'}
      </span>
      <span className="device-times">
        {device.addedAt ? (
          <>
            Added <time dateTime={device.addedAt}>{dateTime(new Date(device.addedAt))}</time>
          </>
        ) : (
          'Added: date unknown'
        )}
      </span>
      <span className="device-fingerprint">
        Key fingerprint: <code>{device.fingerprint}</code>
      </span>
    </li>
  );
}

/**
 * Every device that can read the conversation: owner, device name, when it
 * was added and its key's fingerprint. A device here that its owner does not
 * recognise means someone else reads along.
 */
export function ConversationDeviceList({
  devices,
  ownUserId,
}: {
  devices: ConversationDevices;
  ownUserId: string;
}) {
  const { list, error } = devices;
  if (list === null) return <ListPending what="devices" error={error} onRetry={devices.reload} />;
  return (
    <ul className="conversation-devices" aria-label="Devices in this conversation">
      {sorted(list, ownUserId).map((d) => (
        <DeviceItem key={d.deviceId} device={d} />
      ))}
    </ul>
  );
}
