import { useId, useRef, useState, type FormEvent } from 'react';
import '../styles/codes.css';
import type { ChatClient, ExistingDeviceLink } from '../client/chat-client.ts';
import { linkErrorText } from '../client/error-text.ts';
import { codeInputProps, TextField } from './text-field.tsx';

interface Props {
  client: ChatClient;
  /** A device was linked (the device list is out of date). */
  onLinked: () => void;
}

const conversationsText = (n: number) => (n === 1 ? '1 conversation' : `${n} conversations`);

/**
 * Where a confirmed link is: waiting for the new device's person to confirm too, then sending the
 * keys and adding the device.
 */
type Phase = 'comparing' | 'waiting' | 'linking';

/**
 * The signed-in device's side of linking: type the code the new device shows,
 * compare the check codes, then link or cancel. Linking waits until the new
 * device's person has confirmed the check code there too; only then are the
 * keys sent and the device added to every conversation.
 */
export function LinkDeviceForm({ client, onLinked }: Props) {
  const [code, setCode] = useState('');
  const [link, setLink] = useState<ExistingDeviceLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const [phase, setPhase] = useState<Phase>('comparing');
  // Set when this person cancels while the link waits for the new device: the wait then ends
  // without an error to show.
  const cancelled = useRef(false);
  const id = useId();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    setResult('');
    try {
      await action();
    } catch (e) {
      setError(linkErrorText(e, 'signed-in'));
    } finally {
      setBusy(false);
    }
  }

  function findDevice(event: FormEvent) {
    event.preventDefault();
    if (!code.trim()) {
      setError('Type the code the new device shows.');
      return;
    }
    void run(async () => setLink(await client.linkDevice(code.trim())));
  }

  const confirm = (found: ExistingDeviceLink) =>
    run(async () => {
      cancelled.current = false;
      setPhase('waiting');
      setResult('Waiting for the new device to confirm…');
      try {
        const { conversations } = await found.confirm({
          onNewDeviceConfirmed: () => {
            setPhase('linking');
            setResult('Linking…');
          },
        });
        setResult(`Linked. Added to ${conversationsText(conversations)}.`);
        setCode('');
        onLinked();
      } catch (e) {
        if (!cancelled.current) throw e;
      } finally {
        setLink(null);
        setPhase('comparing');
      }
    });

  const abort = (found: ExistingDeviceLink) =>
    run(async () => {
      cancelled.current = true;
      setLink(null);
      setCode('');
      await found.abort();
      setResult('Cancelled. Nothing was shared with the new device.');
    });

  return (
    <section className="dialog-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Link a new device</h3>
      {link ? (
        <div className="check-box">
          <p>
            Check that <strong>{link.deviceName}</strong> shows this code:
          </p>
          <p className="check-code" aria-label={`Check code ${link.checkCode}`}>
            {link.checkCode}
          </p>
          <p className="details-help">
            Link it only if both codes are the same; the new device asks you to confirm there too.
            If they differ, someone else may be trying to link a device to your account.
          </p>
          <div className="device-confirm-actions">
            <button
              type="button"
              className="button primary"
              onClick={() => void confirm(link)}
              disabled={busy}
              autoFocus
            >
              Codes match — link
            </button>
            {/* While the new device has not confirmed, nothing was sent: this person may still cancel. */}
            <button
              type="button"
              className="button"
              onClick={() => void abort(link)}
              disabled={busy && phase !== 'waiting'}
            >
              They differ — cancel
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={findDevice} noValidate>
          <p className="details-help" id={`${id}-how`}>
            On the new device, log in and choose <strong>Link from a signed-in device</strong>. Then
            type the code it shows here.
          </p>
          <TextField
            label="Code from the new device"
            name="link-code"
            {...codeInputProps}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            disabled={busy}
            aria-describedby={`${id}-how`}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Looking for the device…' : 'Continue'}
          </button>
        </form>
      )}
      <div role="alert" className="form-error">
        {error}
      </div>
      <p role="status" className="link-result">
        {result}
      </p>
    </section>
  );
}
