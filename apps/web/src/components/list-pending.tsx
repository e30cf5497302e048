import { actionErrorText } from '../client/error-text.ts';

/** In place of a list not loaded yet: "Loading …", or why it failed with Try again. */
export function ListPending({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: unknown;
  onRetry: () => void;
}) {
  return error ? (
    <p className="details-help">
      The {what} could not be loaded: {actionErrorText(error)}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </p>
  ) : (
    <p className="details-help">Loading {what}…</p>
  );
}
