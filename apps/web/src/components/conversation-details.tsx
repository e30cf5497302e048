import { useState } from 'react';
import { actionErrorText } from '../client/error-text.ts';
import type { ConversationDevices } from '../hooks/use-conversation-devices.ts';
import type { SafetyNumber } from '../hooks/use-safety-number.ts';
import { ConversationDeviceList } from './conversation-device-list.tsx';

interface Props {
  id: string;
  peerName: string;
  safety: SafetyNumber;
  devices: ConversationDevices;
  ownUserId: string;
  onClose: () => void;
}

/**
 * The peer's safety number, to compare out of band, the action that records it as verified, and
 * every device that can read the conversation.
 */
export function ConversationDetails({ id, peerName, safety, devices, ownUserId, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const { info } = safety;

  async function verify() {
    setBusy(true);
    setError('');
    try {
      await safety.markVerified();
    } catch (e) {
      setError(actionErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section id={id} className="details" aria-label="Conversation details" tabIndex={-1}>
      <div className="details-head">
        <h3>Safety number with {peerName}</h3>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      {info ? (
        <>
          <p className="safety-number" aria-label={`Safety number: ${info.formatted}`}>
            {(info.digits.match(/\d{1,5}/g) ?? []).map((block, i) => (
              <span key={i}>{block}</span>
            ))}
          </p>
          <p className="details-help">
            Compare this number with {peerName} in person or over a channel you trust. If both of
            you see the same number, nobody can read your messages in between.
          </p>
          {info.verified ? (
            <p className="verified-state verified">
              <span aria-hidden="true">✓</span> You marked {peerName} as verified.
            </p>
          ) : (
            <div className="verified-state">
              <span>Not verified yet.</span>
              <button
                type="button"
                className="button primary"
                onClick={() => void verify()}
                disabled={busy}
              >
                Mark as verified
              </button>
            </div>
          )}
        </>
      ) : safety.error ? (
        <p className="details-help">
          The safety number is not available yet: {actionErrorText(safety.error)}
        </p>
      ) : (
        <p className="details-help">Computing the safety number…</p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <h3 className="details-subhead">Devices in this conversation</h3>
      <p className="details-help">
        Every device below can read what is sent here from now on. If one is not yours or {peerName}
        's, stop and compare safety numbers.
      </p>
      <ConversationDeviceList devices={devices} ownUserId={ownUserId} />
    </section>
  );
}
