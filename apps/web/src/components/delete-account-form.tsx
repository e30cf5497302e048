import { useId, useState, type FormEvent } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { useAccountAction } from '../hooks/use-account-action.ts';
import { TextField } from './text-field.tsx';

interface Props {
  client: ChatClient;
  onCancel: () => void;
  /** The account is gone (this browser's copy too). */
  onDeleted: () => void;
}

/** Delete account: the current password and an explicit confirmation, then deleted for good. */
export function DeleteAccountForm({ client, onCancel, onDeleted }: Props) {
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const action = useAccountAction();
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirmed) return;
    void action.run(async () => {
      await client.deleteAccount(password);
      onDeleted();
      return 'Your account was deleted.';
    });
  }

  return (
    <section className="dialog-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Delete account</h3>
      <p className="details-help" id={`${id}-what`}>
        This cannot be undone. All your devices are signed out, your keys and backups are erased
        from the server, and the people you talk to see that you deleted your account. Your username
        stays reserved, so nobody can take it to pose as you.
      </p>
      <form onSubmit={submit} aria-describedby={`${id}-what`}>
        <TextField
          label="Current password"
          name="current-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={action.busy}
          required
          autoFocus
        />
        <label className="check-field">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.target.checked)}
            disabled={action.busy}
          />
          <span>Yes, delete my account and its messages for good</span>
        </label>
        <div className="device-confirm-actions">
          <button
            type="submit"
            className="button danger"
            disabled={action.busy || !confirmed || password === ''}
          >
            {action.busy ? 'Deleting…' : 'Delete account'}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
            Cancel
          </button>
        </div>
      </form>
      <div role="alert" className="form-error">
        {action.error}
      </div>
    </section>
  );
}
