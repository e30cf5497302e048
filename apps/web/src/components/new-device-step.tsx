import { useEffect, useId, useState } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { LinkThisDevice } from './link-this-device.tsx';
import { ResetIdentity } from './reset-identity.tsx';
import { RestoreThisDevice } from './restore-this-device.tsx';

interface Props {
  username: string;
  password: string;
  /**
   * Why this browser has no usable keys, when it is not simply new (its keys were made obsolete by
   * an identity reset).
   */
  reason?: string;
  /** Signed in; after an identity reset, the client still holds the new recovery key to show. */
  onSignedIn: (client: ChatClient) => void;
  /** Back to the login form. */
  onBack: () => void;
}

/**
 * Logging in on a browser without the account's keys: link it from a signed-in device, restore from
 * the recovery key or, with neither, reset the encryption identity.
 */
export default function NewDeviceStep({ username, password, reason, onSignedIn, onBack }: Props) {
  const [way, setWay] = useState<'choose' | 'link' | 'restore' | 'reset'>('choose');
  const id = useId();

  useEffect(() => {
    if (way === 'choose') document.title = 'New device · rchat';
  }, [way]);

  if (way === 'link')
    return (
      <LinkThisDevice
        username={username}
        password={password}
        onSignedIn={onSignedIn}
        onCancel={() => setWay('choose')}
      />
    );
  if (way === 'restore')
    return (
      <RestoreThisDevice
        username={username}
        password={password}
        onSignedIn={onSignedIn}
        onBack={() => setWay('choose')}
      />
    );
  if (way === 'reset')
    return (
      <ResetIdentity
        username={username}
        password={password}
        onReset={onSignedIn}
        onBack={() => setWay('choose')}
      />
    );
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="step-title">
        This browser is a new device
      </h2>
      {reason ? (
        <p className="step-text" role="alert">
          {reason}
        </p>
      ) : (
        <p className="step-text">
          This browser has no keys for "{username}" yet, so it cannot read your conversations. Bring
          your keys here in one of two ways:
        </p>
      )}
      <div className="choices">
        <button
          type="button"
          className="button primary"
          onClick={() => setWay('link')}
          aria-describedby={`${id}-link`}
          autoFocus
        >
          Link from a signed-in device
        </button>
        <p className="field-hint" id={`${id}-link`}>
          With a phone or computer where you are signed in: it confirms this browser and sends it
          your keys.
        </p>
        <button
          type="button"
          className="button"
          onClick={() => setWay('restore')}
          aria-describedby={`${id}-restore`}
        >
          Restore from recovery key
        </button>
        <p className="field-hint" id={`${id}-restore`}>
          With the recovery key you saved when you registered (or your passphrase).
        </p>
      </div>
      <div className="choices last-resort">
        <p className="field-hint">Lost every device and the recovery key too?</p>
        <button
          type="button"
          className="button danger-outline"
          onClick={() => setWay('reset')}
          aria-describedby={`${id}-reset`}
        >
          Reset encryption identity
        </button>
        <p className="field-hint" id={`${id}-reset`}>
          A new identity for your account: your contacts are told and must accept it, your other
          devices are signed out, and old messages do not come back.
        </p>
      </div>
      <button type="button" className="link-button" onClick={onBack}>
        Back to log in
      </button>
    </section>
  );
}
