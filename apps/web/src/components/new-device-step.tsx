import { useEffect, useId, useState } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { LinkThisDevice } from './link-this-device.tsx';
import { RestoreThisDevice } from './restore-this-device.tsx';

interface Props {
  username: string;
  password: string;
  onSignedIn: (client: ChatClient) => void;
  /** Back to the login form. */
  onBack: () => void;
}

/** Logging in on a browser without the account's keys: link it from a signed-in device, or restore from the recovery key. */
export default function NewDeviceStep({ username, password, onSignedIn, onBack }: Props) {
  const [way, setWay] = useState<'choose' | 'link' | 'restore'>('choose');
  const id = useId();

  useEffect(() => {
    if (way === 'choose') document.title = 'New device · rchat';
  }, [way]);

  if (way === 'link') return <LinkThisDevice username={username} password={password} onSignedIn={onSignedIn} onCancel={() => setWay('choose')} />;
  if (way === 'restore') return <RestoreThisDevice username={username} password={password} onSignedIn={onSignedIn} onBack={() => setWay('choose')} />;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="step-title">
        This browser is a new device
      </h2>
      <p className="step-text">
        This browser has no keys for "{username}" yet, so it cannot read your conversations. Bring your keys here in one of two ways:
      </p>
      <div className="choices">
        <button type="button" className="button primary" onClick={() => setWay('link')} aria-describedby={`${id}-link`} autoFocus>
          Link from a signed-in device
        </button>
        <p className="field-hint" id={`${id}-link`}>
          With a phone or computer where you are signed in: it confirms this browser and sends it your keys.
        </p>
        <button type="button" className="button" onClick={() => setWay('restore')} aria-describedby={`${id}-restore`}>
          Restore from recovery key
        </button>
        <p className="field-hint" id={`${id}-restore`}>
          With the recovery key you saved when you registered (or your passphrase).
        </p>
      </div>
      <button type="button" className="link-button" onClick={onBack}>
        Back to log in
      </button>
    </section>
  );
}
