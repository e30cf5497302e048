import { useState } from 'react';
import { actionErrorText } from '../client/error-text.ts';
import type { Tabs } from '../tabs/tabs.ts';

/** Moves the account to this tab; says why when the other tab did not let go. */
export function UseHereButton({ tabs }: { tabs: Tabs }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const useHere = () => {
    setBusy(true);
    setError('');
    tabs
      .useHere()
      .catch((e: unknown) => setError(actionErrorText(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={useHere}>
        Use here
      </button>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
