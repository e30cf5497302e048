import type { AccountAction } from '../hooks/use-account-action.ts';

/**
 * What an account action did, or why it failed: an alert and a status line, read out by screen
 * readers as they change.
 */
export function ActionOutcome({ action }: { action: AccountAction }) {
  return (
    <>
      <div role="alert" className="form-error">
        {action.error}
      </div>
      <p role="status" className="link-result">
        {action.result}
      </p>
    </>
  );
}
