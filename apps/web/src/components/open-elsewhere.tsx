import type { Tabs } from '../tabs/tabs.ts';
import { UseHereButton } from './use-here-button.tsx';

/** This browser cannot share the account between tabs, and another tab has it open. */
export function OpenElsewhere({ tabs }: { tabs: Tabs }) {
  return (
    <main className="login-page">
      <div className="login-card" role="status">
        <h1 className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          rchat
        </h1>
        <p>
          rchat is open in another tab of this browser, and this browser cannot share it between
          tabs. Use it there, or choose Use here to move it to this tab.
        </p>
        <UseHereButton tabs={tabs} />
      </div>
    </main>
  );
}
