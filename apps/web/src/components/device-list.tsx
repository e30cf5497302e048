import { useState } from 'react';
import type { AccountDevice } from '../client/chat-client.ts';
import { actionErrorText } from '../client/error-text.ts';
import { dateTime } from '../format.ts';
import type { Devices } from '../hooks/use-devices.ts';
import { ListPending } from './list-pending.tsx';

function Times({ device }: { device: AccountDevice }) {
  const added = new Date(device.createdAt);
  const seen = new Date(device.lastSeenAt);
  return (
    <span className="device-times">
      Added <time dateTime={added.toISOString()}>{dateTime(added)}</time>
      {!device.current && (
        <>
          {' '}
          · last active <time dateTime={seen.toISOString()}>{dateTime(seen)}</time>
        </>
      )}
    </span>
  );
}

/** Asks once more before removing: the device is signed out and loses access to new messages. */
function ConfirmRemove({
  device,
  onRemove,
  onKeep,
}: {
  device: AccountDevice;
  onRemove: () => Promise<void>;
  onKeep: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function remove() {
    setBusy(true);
    setError('');
    try {
      await onRemove();
    } catch (e) {
      setError(actionErrorText(e));
      setBusy(false);
    }
  }

  return (
    <div className="device-confirm" role="group" aria-label={`Remove ${device.name}?`}>
      <p>
        Remove {device.name}? It is signed out at once and cannot read anything sent from now on.
        Messages it already shows stay on it.
      </p>
      <div className="device-confirm-actions">
        <button
          type="button"
          className="button danger"
          onClick={() => void remove()}
          disabled={busy}
          autoFocus
        >
          {busy ? 'Removing…' : 'Remove device'}
        </button>
        <button type="button" className="button" onClick={onKeep} disabled={busy}>
          Keep it
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The account's devices: this one marked, the others each with Remove (and a confirm step). */
export function DeviceList({ devices }: { devices: Devices }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const { list, error } = devices;

  if (list === null) return <ListPending what="devices" error={error} onRetry={devices.reload} />;
  return (
    <ul className="device-list" aria-label="Your devices">
      {list.map((d) => (
        <li
          key={d.id}
          className="device-item"
          data-device-id={d.id}
          aria-current={d.current ? 'true' : undefined}
        >
          <div className="device-info">
            <span className="device-name">
              {d.name}
              {d.current && <span className="device-badge">This device</span>}
            </span>
            <Times device={d} />
          </div>
          {!d.current &&
            (confirming === d.id ? (
              <ConfirmRemove
                device={d}
                onRemove={() => devices.remove(d.id)}
                onKeep={() => setConfirming(null)}
              />
            ) : (
              <button
                type="button"
                className="button"
                onClick={() => setConfirming(d.id)}
                aria-label={`Remove ${d.name}, added ${dateTime(new Date(d.createdAt))}`}
              >
                Remove
              </button>
            ))}
        </li>
      ))}
    </ul>
  );
}
