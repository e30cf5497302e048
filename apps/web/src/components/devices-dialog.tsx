import type { ChatClient } from '../client/chat-client.ts';
import { useDevices } from '../hooks/use-devices.ts';
import { DeviceList } from './device-list.tsx';
import { LinkDeviceForm } from './link-device-form.tsx';
import { ModalDialog } from './modal-dialog.tsx';

interface Props {
  client: ChatClient;
  onClose: () => void;
}

/** A modal dialog: the account's devices, and linking a new one. */
export function DevicesDialog({ client, onClose }: Props) {
  const devices = useDevices(client);
  return (
    <ModalDialog title="Your devices" onClose={onClose}>
      <p className="details-help">
        Every device below can read your conversations. Remove one you no longer use or have lost:
        it is signed out at once.
      </p>
      <DeviceList devices={devices} />
      <LinkDeviceForm client={client} onLinked={devices.reload} />
    </ModalDialog>
  );
}
