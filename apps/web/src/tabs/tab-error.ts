/**
 * Errors of coordinating tabs (codes of the web client, not of the server):
 * `LEADER_ONLY` the action runs only in the tab that holds the account,
 * `TAB_CLOSED` that tab closed while the action ran (it may or may not have happened),
 * `TAB_UNAVAILABLE` no tab holding the account answered.
 */
export type TabErrorCode = 'LEADER_ONLY' | 'TAB_CLOSED' | 'TAB_UNAVAILABLE';

export class TabError extends Error {
  override name = 'TabError';
  constructor(
    readonly code: TabErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const leaderOnly = (what: string) =>
  new TabError(
    'LEADER_ONLY',
    `${what} works only in the tab that holds your account, and another tab of this browser holds it. Choose Use here, then try again.`,
  );

export const tabClosed = () =>
  new TabError(
    'TAB_CLOSED',
    'The tab that held your account closed before this finished. Check whether it went through, then try again.',
  );

export const tabUnavailable = () =>
  new TabError(
    'TAB_UNAVAILABLE',
    'Another tab of this browser holds your account and did not answer. Choose Use here to run it in this tab, or close the other tab.',
  );
