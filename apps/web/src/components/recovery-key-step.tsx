import { useEffect, useId, useState, type FormEvent } from 'react';
import { minPassphraseLength, passphraseProblem, type ChatClient } from '../client/chat-client.ts';
import { actionErrorText } from '../client/error-text.ts';
import { GroupedCode } from './grouped-code.tsx';
import { TextField } from './text-field.tsx';

interface Props {
  client: ChatClient;
  recoveryKey: string;
  /**
   * Shown after resetting the encryption identity (the old key no longer works) rather than after
   * registering.
   */
  afterReset?: boolean;
  onDone: () => void;
}

/** Selects the element's text, so the person can copy it themselves. */
function selectText(element: HTMLElement | null): boolean {
  const selection = window.getSelection();
  if (!element || !selection) return false;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}

/**
 * Right after registering (or resetting the encryption identity): the
 * recovery key, shown this once, with Copy, and an optional passphrase that
 * opens the same key backup. Continuing enters the app.
 */
export default function RecoveryKeyStep({
  client,
  recoveryKey,
  afterReset = false,
  onDone,
}: Props) {
  const [copied, setCopied] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  useEffect(() => {
    document.title = 'Save your recovery key · rchat';
    // Shown only now: leaving the page by accident (reload, closing the tab) asks first.
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopied('Copied. Paste it into your password manager, or write it down.');
    } catch {
      // No clipboard access (permission, or an insecure page): select it for the person to copy.
      setCopied(
        selectText(document.getElementById(`${id}-key`))
          ? 'The key is selected: copy it with Ctrl+C (⌘C on a Mac) or your menu.'
          : 'Copy the key by hand.',
      );
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (passphrase !== '') {
      const problem = passphraseProblem(passphrase);
      if (problem) {
        setError(problem);
        return;
      }
      setBusy(true);
      setError('');
      try {
        await client.setPassphrase(passphrase);
      } catch (e) {
        setError(actionErrorText(e));
        setBusy(false);
        return;
      }
    }
    onDone();
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-busy={busy}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`} className="step-title">
        Save your recovery key
      </h2>
      <p className="step-text" id={`${id}-about`}>
        {afterReset &&
          'Your encryption identity is new, and so is your recovery key: the old key and passphrase no longer work. '}
        If you ever have no signed-in device at hand, this key lets a new device read your
        conversations. Keep it somewhere safe, such as a password manager or on paper. It is shown
        only now.
      </p>
      <GroupedCode code={recoveryKey} className="recovery-key" id={`${id}-key`} />
      <div className="copy-row">
        <button
          type="button"
          className="button"
          onClick={() => void copy()}
          aria-describedby={`${id}-about`}
          autoFocus
        >
          Copy
        </button>
        <span role="status" className="copy-status">
          {copied}
        </span>
      </div>
      <TextField
        label="Passphrase (optional)"
        name="passphrase"
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        disabled={busy}
        aria-describedby={`${id}-passphrase-hint`}
      />
      <p className="field-hint" id={`${id}-passphrase-hint`}>
        Also opens your key backup, for when the key is not at hand. Pick one of at least{' '}
        {minPassphraseLength} characters that you can remember and nobody can guess; leave it empty
        to skip.
      </p>
      <div role="alert" className="form-error">
        {error}
      </div>
      <button type="submit" className="button primary wide" disabled={busy}>
        {busy ? 'Setting the passphrase…' : 'I have saved it'}
      </button>
    </form>
  );
}
