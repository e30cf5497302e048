import { useId, useState, type FormEvent } from 'react';
import type { ChatClient } from '../client/chat-client.ts';
import { signedOutText, useAccountAction } from '../hooks/use-account-action.ts';
import { ActionOutcome } from './action-outcome.tsx';
import { TextField } from './text-field.tsx';

/** Change password: the current one and the new one; every other device is signed out. */
export function ChangePasswordForm({ client }: { client: ChatClient }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const action = useAccountAction();
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    void action.run(async () => {
      const n = await client.changePassword(current, next);
      setCurrent('');
      setNext('');
      return `Your password was changed. ${signedOutText(n)}`;
    });
  }

  return (
    <section className="dialog-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Change password</h3>
      <p className="details-help">
        Every other device is signed out and must log in again with the new password. This one stays
        signed in.
      </p>
      <form onSubmit={submit}>
        <TextField
          label="Current password"
          name="current-password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          disabled={action.busy}
          required
        />
        <TextField
          label="New password"
          name="new-password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          disabled={action.busy}
          required
        />
        <button type="submit" className="button primary" disabled={action.busy}>
          {action.busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}
