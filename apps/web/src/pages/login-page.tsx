import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { signInErrorText } from '../client/error-text.ts';
import { preloadSdk, signIn, type SignInMode } from '../client/session.ts';
import { usePasswordPolicy } from '../hooks/use-password-policy.ts';

interface Props {
  onSignedIn: (client: ChatClient) => void;
  /** Something to tell the person before they sign in (shown as the page's alert). */
  notice?: string;
}

const busyText: Record<SignInMode, string> = {
  login: 'Logging in…',
  register: 'Creating your account and encryption keys…',
};

export function LoginPage({ onSignedIn, notice }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<SignInMode | null>(null);
  const [error, setError] = useState(notice ?? '');
  const policy = usePasswordPolicy();
  const hintId = useId();

  useEffect(() => {
    document.title = 'Log in · rchat';
    preloadSdk();
  }, []);

  async function submit(mode: SignInMode) {
    const name = username.trim();
    if (!name || !password) {
      setError(`Enter a username and a password to ${mode === 'login' ? 'log in' : 'register'}.`);
      return;
    }
    setBusy(mode);
    setError('');
    try {
      onSignedIn(await signIn(mode, name, password));
    } catch (e) {
      setError(signInErrorText(e, name.toLowerCase()));
      setBusy(null);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit('login');
  }

  return (
    <main className="login-page">
      <div className="login-card">
        <h1 className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          rchat
        </h1>
        <p className="login-tagline">Private messages, end-to-end encrypted.</p>
        <form onSubmit={onSubmit} aria-busy={busy !== null} noValidate>
          <label className="field">
            <span className="field-label">Username</span>
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              maxLength={32}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              disabled={busy !== null}
              autoFocus
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              disabled={busy !== null}
              aria-describedby={hintId}
            />
          </label>
          <p className="field-hint" id={hintId}>
            New here? Pick a username and a password{policy ? ` of at least ${policy.passwordMinLength} characters` : ''}, then choose Register.
          </p>
          <div role="alert" className="form-error">
            {error}
          </div>
          <div className="login-actions">
            <button type="submit" className="button primary" disabled={busy !== null}>
              Log in
            </button>
            <button type="button" className="button" disabled={busy !== null} onClick={() => void submit('register')}>
              Register
            </button>
          </div>
          {busy && (
            <p className="login-busy" role="status">
              {busyText[busy]}
            </p>
          )}
        </form>
      </div>
    </main>
  );
}
