import { useState } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { signedOutText, useAccountAction } from '../hooks/use-account-action.ts';
import { ChangePasswordForm } from './change-password-form.tsx';
import { DeleteAccountForm } from './delete-account-form.tsx';
import { ActionOutcome } from './action-outcome.tsx';
import { ModalDialog } from './modal-dialog.tsx';

interface Props {
  client: ChatClient;
  onClose: () => void;
  /** The account was deleted: back to the login page. */
  onDeleted: () => void;
}

/**
 * A modal dialog (Escape or Close ends it): change the password, sign out every other device,
 * delete the account.
 */
export function AccountDialog({ client, onClose, onDeleted }: Props) {
  const [deleting, setDeleting] = useState(false);
  const signOut = useAccountAction();

  return (
    <ModalDialog title="Your account" onClose={onClose}>
      <p className="details-help">Signed in as {client.username}.</p>
      {deleting ? (
        <DeleteAccountForm
          client={client}
          onCancel={() => setDeleting(false)}
          onDeleted={onDeleted}
        />
      ) : (
        <>
          <ChangePasswordForm client={client} />
          <section className="dialog-section">
            <h3>Other devices</h3>
            <p className="details-help">
              Lost a phone, or signed in on a shared computer? Sign out everywhere else: those
              devices must log in again to come back.
            </p>
            <button
              type="button"
              className="button"
              disabled={signOut.busy}
              onClick={() =>
                void signOut.run(async () => signedOutText(await client.signOutOtherDevices()))
              }
            >
              Sign out other devices
            </button>
            <ActionOutcome action={signOut} />
          </section>
          <section className="dialog-section">
            <button type="button" className="button danger" onClick={() => setDeleting(true)}>
              Delete account
            </button>
          </section>
        </>
      )}
    </ModalDialog>
  );
}
