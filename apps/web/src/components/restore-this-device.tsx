import { useEffect, useId, useState, type FormEvent } from 'react';
import type { BackupSecret, ChatClient } from '../client/chat-client.ts';
import { restoreErrorText } from '../client/error-text.ts';
import { restoreFromBackup } from '../client/session.ts';
import { codeInputProps, TextField } from './text-field.tsx';

interface Props {
  username: string;
  password: string;
  onSignedIn: (client: ChatClient) => void;
  onBack: () => void;
}

type Kind = 'recovery key' | 'passphrase';

/**
 * The new device's other way in: the key backup, opened with the recovery key (or the passphrase
 * set next to it).
 */
export function RestoreThisDevice({ username, password, onSignedIn, onBack }: Props) {
  const [kind, setKind] = useState<Kind>('recovery key');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  useEffect(() => {
    document.title = 'Restore from recovery key · rchat';
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = secret.trim();
    if (!value) {
      setError(`Enter your ${kind}.`);
      return;
    }
    setBusy(true);
    setError('');
    const backupSecret: BackupSecret =
      kind === 'recovery key' ? { recoveryKey: value } : { passphrase: secret };
    try {
      onSignedIn(await restoreFromBackup(username, password, backupSecret));
    } catch (e) {
      setError(restoreErrorText(e, username));
      setBusy(false);
    }
  }

  function choose(next: Kind) {
    setKind(next);
    setSecret('');
    setError('');
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-busy={busy}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`} className="step-title">
        Restore from your recovery key
      </h2>
      <p className="step-text">
        Your key backup on the server is encrypted: only your recovery key, or the passphrase you
        set next to it, opens it.
      </p>
      <fieldset className="secret-kind" disabled={busy}>
        <legend className="field-label">What do you have?</legend>
        <label>
          <input
            type="radio"
            name="secret-kind"
            checked={kind === 'recovery key'}
            onChange={() => choose('recovery key')}
          />{' '}
          My recovery key
        </label>
        <label>
          <input
            type="radio"
            name="secret-kind"
            checked={kind === 'passphrase'}
            onChange={() => choose('passphrase')}
          />{' '}
          My passphrase
        </label>
      </fieldset>
      <TextField
        {...(kind === 'recovery key'
          ? { label: 'Recovery key', ...codeInputProps }
          : { label: 'Passphrase', type: 'password', autoComplete: 'off' })}
        name="secret"
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        disabled={busy}
        aria-describedby={`${id}-hint`}
        autoFocus
      />
      <p className="field-hint" id={`${id}-hint`}>
        {kind === 'recovery key'
          ? '8 groups of 4 letters and digits, as shown when you registered; dashes and capitals are optional.'
          : 'The passphrase you set when you saved your recovery key.'}
      </p>
      <div role="alert" className="form-error">
        {error}
      </div>
      <div className="login-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Restore
        </button>
        <button type="button" className="button" onClick={onBack} disabled={busy}>
          Back
        </button>
      </div>
      {busy && (
        <p className="login-busy" role="status">
          Opening your key backup…
        </p>
      )}
    </form>
  );
}
