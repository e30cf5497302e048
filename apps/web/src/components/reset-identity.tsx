import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { signInErrorText } from '../client/error-text.ts';
import { resetIdentity } from '../client/session.ts';

interface Props {
  username: string;
  password: string;
  /**
   * The reset is done: this browser is the account's only device, with a new recovery key to show.
   */
  onReset: (client: ChatClient) => void;
  onBack: () => void;
}

/**
 * The last way in, for someone who lost every device and the recovery key:
 * a new encryption identity. It is loud on purpose — every other device is
 * signed out, and everyone this account talks to must accept the new
 * identity before their conversation works again — and the old history
 * stays unreadable. So it says all that, and asks for a deliberate yes.
 */
export function ResetIdentity({ username, password, onReset, onBack }: Props) {
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  useEffect(() => {
    document.title = 'Reset encryption identity · rchat';
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!understood) {
      setError('Tick the box to confirm that you understand what a reset does.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      onReset(await resetIdentity(username, password));
    } catch (e) {
      setError(signInErrorText(e, username));
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-busy={busy}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`} className="step-title">
        Reset your encryption identity?
      </h2>
      <div className="reset-warning" id={`${id}-warning`}>
        <p>
          Only do this if you have lost every device where you are signed in to "{username}" and
          your recovery key (and passphrase). A reset:
        </p>
        <ul>
          <li>signs out every other device of this account at once;</li>
          <li>
            tells everyone you talk to that your identity was reset: they cannot send to you until
            they accept the new one, and should compare safety numbers with you first;
          </li>
          <li>
            does not bring your old messages back: they were encrypted to keys that are now gone;
          </li>
          <li>makes a new recovery key; the old one stops working.</li>
        </ul>
      </div>
      <label className="confirm-check">
        <input
          type="checkbox"
          checked={understood}
          onChange={(e) => setUnderstood(e.target.checked)}
          disabled={busy}
          aria-describedby={`${id}-warning`}
        />{' '}
        I understand: my contacts will be told, my other devices are signed out, and my old messages
        will not come back.
      </label>
      <div role="alert" className="form-error">
        {error}
      </div>
      <div className="login-actions">
        <button type="submit" className="button danger" disabled={busy}>
          Reset and make a new recovery key
        </button>
        <button type="button" className="button" onClick={onBack} disabled={busy} autoFocus>
          Back
        </button>
      </div>
      {busy && (
        <p className="login-busy" role="status">
          Making a new encryption identity…
        </p>
      )}
    </form>
  );
}
