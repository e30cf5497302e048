import { useCallback, useState } from 'react';
import { accountErrorText } from '../client/error-text.ts';

export interface AccountAction {
  busy: boolean;
  /** Why the last attempt failed, as a sentence ('' when it did not). */
  error: string;
  /** What the last attempt did, as a sentence. */
  result: string;
  /** Runs the action; its answer becomes `result`, a failure `error`. */
  run(action: () => Promise<string>): Promise<void>;
}

/**
 * One account action at a time (password change, sign-out, deletion), with its outcome as a
 * sentence.
 */
export function useAccountAction(): AccountAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const run = useCallback(async (action: () => Promise<string>) => {
    setBusy(true);
    setError('');
    setResult('');
    try {
      setResult(await action());
    } catch (e) {
      setError(accountErrorText(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, result, run };
}

/** "2 other devices were signed out" and its singular and zero forms. */
export function signedOutText(n: number): string {
  if (n === 0) return 'No other device was signed in.';
  return n === 1 ? '1 other device was signed out.' : `${n} other devices were signed out.`;
}
