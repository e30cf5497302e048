import { useEffect, useId, useRef } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { useDevices } from '../hooks/use-devices.ts';
import { DeviceList } from './device-list.tsx';
import { LinkDeviceForm } from './link-device-form.tsx';

interface Props {
  client: ChatClient;
  onClose: () => void;
}

/** A modal dialog (Escape or Close ends it; focus goes back to where it was): the account's devices, and linking a new one. */
export function DevicesDialog({ client, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const devices = useDevices(client);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog ref={ref} className="devices-dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog-head">
        <h2 id={titleId}>Your devices</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => ref.current?.close()}>
          ×
        </button>
      </div>
      <p className="details-help">Every device below can read your conversations. Remove one you no longer use or have lost: it is signed out at once.</p>
      <DeviceList devices={devices} />
      <LinkDeviceForm client={client} onLinked={devices.reload} />
    </dialog>
  );
}
