import type { Tabs } from '../tabs/tabs.ts';
import { UseHereButton } from './use-here-button.tsx';

/**
 * In a tab that works through another tab of this browser: says so, with the way to run the account
 * here instead.
 */
export function OtherTabNotice({ tabs }: { tabs: Tabs }) {
  return (
    <div className="other-tab-notice" role="status">
      <span>
        Your account is open in another tab of this browser; this tab works through it. Linking a
        device works only in that tab.
      </span>
      <UseHereButton tabs={tabs} />
    </div>
  );
}
