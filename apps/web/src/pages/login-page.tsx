import { lazy, Suspense, useEffect, useId, useState, type FormEvent } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { errorCode, signInErrorText } from '../client/error-text.ts';
import { TextField } from '../components/text-field.tsx';
import { preloadSdk, signIn, type SignInMode } from '../client/session.ts';
import { usePasswordPolicy, type PasswordPolicy } from '../hooks/use-password-policy.ts';

interface Props {
  onSignedIn: (client: ChatClient) => void;
  /** Something to tell the person before they sign in (shown as the page's alert). */
  notice?: string;
}

// Each step after the form is its own chunk (the new-device one carries the QR code generator).
const RecoveryKeyStep = lazy(() => import('../components/recovery-key-step.tsx'));
const NewDeviceStep = lazy(() => import('../components/new-device-step.tsx'));

/**
 * The form; after registering, the recovery key; after logging in on a browser without the
 * account's keys, the ways to bring them here.
 */
type Step =
  | { step: 'form' }
  | { step: 'save-key'; client: ChatClient; recoveryKey: string; afterReset: boolean }
  | { step: 'new-device'; username: string; reason?: string };

/**
 * What the form tells a newcomer, by the server's registration policy (unknown until
 * /.well-known/rchat answers).
 */
function registrationHint(policy: PasswordPolicy | null): string {
  const length = policy ? ` of at least ${policy.passwordMinLength} characters` : '';
  switch (policy?.registration) {
    case 'closed':
      return 'Registration is closed on this server. Ask its operator for an account.';
    case 'invite':
      return `New here? Enter the invite code from the operator of this server, pick a username and a password${length}, then choose Register.`;
    default:
      return `New here? Pick a username and a password${length}, then choose Register.`;
  }
}

const busyText: Record<SignInMode, string> = {
  login: 'Logging in…',
  register: 'Creating your account and encryption keys…',
};

export function LoginPage({ onSignedIn, notice }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [inviteCode, setInviteCode] = useState('');
  const [busy, setBusy] = useState<SignInMode | null>(null);
  const [error, setError] = useState(notice ?? '');
  const [step, setStep] = useState<Step>({ step: 'form' });
  const policy = usePasswordPolicy();
  const hintId = useId();
  const byInvite = policy?.registration === 'invite';

  useEffect(() => {
    if (step.step === 'form') document.title = 'Log in · rchat';
  }, [step.step]);

  useEffect(() => preloadSdk(), []);

  async function submit(mode: SignInMode) {
    const name = username.trim();
    if (!name || !password) {
      setError(`Enter a username and a password to ${mode === 'login' ? 'log in' : 'register'}.`);
      return;
    }
    if (mode === 'register' && byInvite && !inviteCode.trim()) {
      setError('Enter the invite code from the operator of this server to register.');
      return;
    }
    setBusy(mode);
    setError('');
    try {
      const client = await signIn(
        mode,
        name,
        password,
        mode === 'register' && byInvite ? inviteCode.trim() : undefined,
      );
      const recoveryKey = mode === 'register' ? client.takeRecoveryKey() : null;
      if (recoveryKey === null) return onSignedIn(client);
      setStep({ step: 'save-key', client, recoveryKey, afterReset: false });
    } catch (e) {
      const code = errorCode(e);
      // After an identity reset this browser's keys are of no use any more: it is a new device
      // again.
      if (code === 'NEW_DEVICE' || code === 'IDENTITY_RESET')
        setStep({
          step: 'new-device',
          username: name.toLowerCase(),
          ...(code === 'IDENTITY_RESET' ? { reason: signInErrorText(e, name.toLowerCase()) } : {}),
        });
      else setError(signInErrorText(e, name.toLowerCase()));
    }
    setBusy(null);
  }

  /**
   * Signed in as a new device; after a reset of the encryption identity, the new recovery key is
   * shown first.
   */
  function signedInAsNewDevice(client: ChatClient) {
    const recoveryKey = client.takeRecoveryKey();
    if (recoveryKey === null) onSignedIn(client);
    else setStep({ step: 'save-key', client, recoveryKey, afterReset: true });
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
        {step.step === 'form' ? (
          <>
            <p className="login-tagline">Private messages, end-to-end encrypted.</p>
            <form onSubmit={onSubmit} aria-busy={busy !== null} noValidate>
              <TextField
                label="Username"
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
              <TextField
                label="Password"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                disabled={busy !== null}
                aria-describedby={hintId}
              />
              {byInvite && (
                <TextField
                  label="Invite code"
                  name="invite-code"
                  autoComplete="off"
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  maxLength={128}
                  value={inviteCode}
                  onChange={(e) => setInviteCode(e.target.value)}
                  disabled={busy !== null}
                  aria-describedby={hintId}
                />
              )}
              <p className="field-hint" id={hintId}>
                {registrationHint(policy)}
              </p>
              <div role="alert" className="form-error">
                {error}
              </div>
              <div className="login-actions">
                <button type="submit" className="button primary" disabled={busy !== null}>
                  Log in
                </button>
                {policy?.registration !== 'closed' && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy !== null}
                    onClick={() => void submit('register')}
                  >
                    Register
                  </button>
                )}
              </div>
              {busy && (
                <p className="login-busy" role="status">
                  {busyText[busy]}
                </p>
              )}
            </form>
          </>
        ) : (
          <Suspense fallback={<p className="login-busy">Loading…</p>}>
            {step.step === 'save-key' ? (
              <RecoveryKeyStep
                client={step.client}
                recoveryKey={step.recoveryKey}
                afterReset={step.afterReset}
                onDone={() => onSignedIn(step.client)}
              />
            ) : (
              <NewDeviceStep
                username={step.username}
                password={password}
                {...(step.reason ? { reason: step.reason } : {})}
                onSignedIn={signedInAsNewDevice}
                onBack={() => setStep({ step: 'form' })}
              />
            )}
          </Suspense>
        )}
      </div>
    </main>
  );
}
