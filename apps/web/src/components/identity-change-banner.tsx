import { useState } from 'react';
import type { ChatConversation } from '../client/chat-client.ts';
import { actionErrorText } from '../client/error-text.ts';
import { dateTime } from '../format.ts';

interface Props {
  change: NonNullable<ChatConversation['identityChange']>;
  /** Trusts the new identity; sending works again once it resolves. */
  onAccept: () => Promise<void>;
  /** Opens the conversation details with the safety number. */
  onCompare: () => void;
}

/**
 * Above the messages while sending is blocked because someone's encryption
 * identity changed (a reset, or someone intercepting): nothing is sent until
 * the person accepts the new identity, ideally after comparing safety numbers.
 */
export function IdentityChangeBanner({ change, onAccept, onCompare }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const { username, resetAt } = change;

  async function accept() {
    setBusy(true);
    setError('');
    try {
      await onAccept();
    } catch (e) {
      setError(actionErrorText(e));
      setBusy(false);
    }
  }

  return (
    <div role="alert" className="identity-changed blocking">
      <strong>
        {username}'s encryption identity changed
        {resetAt ? (
          <>
            {' '}
            — reset on <time dateTime={resetAt}>{dateTime(new Date(resetAt))}</time>
          </>
        ) : null}
        .
      </strong>
      <p>
        {resetAt
          ? `${username} reset their encryption identity, as someone does who lost every device and their recovery key — or someone else did, with ${username}'s password.`
          : `This happens when ${username} resets their encryption identity — or when someone is intercepting the conversation.`}{' '}
        Nothing is sent to {username} until you accept the new identity. Compare safety numbers with{' '}
        {username} first, in person or over a channel you trust.
      </p>
      <div className="banner-actions">
        <button
          type="button"
          className="button primary"
          onClick={() => void accept()}
          disabled={busy}
        >
          Accept
        </button>
        <button type="button" className="button" onClick={onCompare}>
          Compare safety numbers
        </button>
      </div>
      {busy && (
        <p className="banner-status">Adding {username}'s new devices to the conversation…</p>
      )}
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}
