import { useEffect, useId, useState } from 'react';
import type { ChatClient, NewDeviceLink } from '../client/chat-client.ts';
import { linkErrorText } from '../client/error-text.ts';
import { startLink } from '../client/session.ts';
import { messageTime } from '../format.ts';
import { GroupedCode } from './grouped-code.tsx';
import { QrCode } from './qr-code.tsx';

interface Props {
  username: string;
  password: string;
  onSignedIn: (client: ChatClient) => void;
  onCancel: () => void;
}

type View =
  | { state: 'starting' }
  | { state: 'code'; link: NewDeviceLink }
  | { state: 'check'; link: NewDeviceLink; checkCode: string }
  | { state: 'confirmed'; checkCode: string }
  | { state: 'rejected' }
  | { state: 'failed'; error: unknown };

/**
 * The new device's side of linking: shows the code (typed, or as a QR code)
 * until a signed-in device types it, then the check code both must show, and
 * asks the person whether they match. Only after "The codes match" here (and
 * the confirmation on the other device) are the keys sent and accepted, and
 * the app opens; "They differ" stops the link on both devices. Leaving this
 * view (Cancel, Back) cancels the link.
 */
export function LinkThisDevice({ username, password, onSignedIn, onCancel }: Props) {
  const [view, setView] = useState<View>({ state: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const id = useId();

  useEffect(() => {
    document.title = 'Link this browser · rchat';
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    let link: NewDeviceLink | null = null;
    let done = false;
    const run = async () => {
      const started = await startLink(username, password);
      // Left before the code arrived: leave no waiting device behind.
      if (abort.signal.aborted) return void started.cancel().catch(() => undefined);
      link = started;
      setView({ state: 'code', link });
      const checkCode = await link.waitForCheckCode(abort.signal);
      setView({ state: 'check', link, checkCode });
      const client = await link.complete(abort.signal);
      done = true;
      onSignedIn(client);
    };
    // After "They differ" the link fails on purpose: the view says so already.
    run().catch(
      (error: unknown) =>
        !abort.signal.aborted &&
        setView((v) => (v.state === 'rejected' ? v : { state: 'failed', error })),
    );
    return () => {
      abort.abort();
      if (link && !done) void link.cancel().catch(() => undefined);
    };
  }, [username, password, onSignedIn, attempt]);

  function again() {
    setView({ state: 'starting' });
    setAttempt((n) => n + 1);
  }

  async function codesMatch(link: NewDeviceLink, checkCode: string) {
    try {
      await link.confirmCheckCode();
      setView((v) => (v.state === 'check' ? { state: 'confirmed', checkCode } : v));
    } catch (error) {
      setView({ state: 'failed', error });
    }
  }

  async function codesDiffer(link: NewDeviceLink) {
    setView({ state: 'rejected' });
    await link.reject().catch(() => undefined);
  }

  return (
    <section aria-labelledby={`${id}-title`} className="link-step">
      <h2 id={`${id}-title`} className="step-title">
        Link this browser
      </h2>
      {view.state === 'starting' && (
        <p className="step-text" role="status">
          Getting a code…
        </p>
      )}
      {view.state === 'code' && (
        <>
          <p className="step-text" id={`${id}-how`}>
            On a device where you are signed in, open <strong>Devices</strong>, then type this code
            under <strong>Link a new device</strong>:
          </p>
          <GroupedCode code={view.link.code} className="link-code" />
          <QrCode text={view.link.qrText} label={`QR code of the link code ${view.link.code}`} />
          <p className="field-hint">
            The code works until {messageTime(new Date(view.link.expiresAt))}.
          </p>
        </>
      )}
      <div role="status">
        {view.state === 'check' && (
          <CompareCheckCode
            checkCode={view.checkCode}
            onMatch={() => void codesMatch(view.link, view.checkCode)}
            onDiffer={() => void codesDiffer(view.link)}
          />
        )}
        {view.state === 'confirmed' && (
          <div className="check-box">
            <p className="check-code">{view.checkCode}</p>
            <p>
              Confirmed here. Confirm on your other device too: it then sends your keys to this
              browser.
            </p>
          </div>
        )}
        {view.state === 'rejected' && (
          <p>
            Not linked: the codes differed, so nothing was shared and this browser is not signed in.
            Someone else may have answered this browser’s code. Start again if you want to link it.
          </p>
        )}
      </div>
      {view.state === 'failed' && (
        <p role="alert" className="form-error">
          {linkErrorText(view.error, 'new')}
        </p>
      )}
      {(view.state === 'failed' || view.state === 'rejected') && (
        <button type="button" className="button primary wide" onClick={again}>
          Start again
        </button>
      )}
      <button type="button" className="button wide" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}

/** The check code and the question whether the other device shows the same one. */
function CompareCheckCode({
  checkCode,
  onMatch,
  onDiffer,
}: {
  checkCode: string;
  onMatch: () => void;
  onDiffer: () => void;
}) {
  return (
    <div className="check-box">
      <p>Check that your other device shows the same code:</p>
      <p className="check-code">{checkCode}</p>
      <p className="field-hint">
        Nothing is shared until you confirm here and on your other device. If the codes differ,
        someone else may be answering this browser.
      </p>
      <div className="device-confirm-actions">
        <button type="button" className="button primary" onClick={onMatch}>
          The codes match
        </button>
        <button type="button" className="button" onClick={onDiffer}>
          They differ
        </button>
      </div>
    </div>
  );
}
