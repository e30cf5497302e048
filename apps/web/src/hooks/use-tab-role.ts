import { useSyncExternalStore } from 'react';
import type { TabRole, Tabs } from '../tabs/tabs.ts';

const noTabs = () => () => undefined;

/** This tab's part in the browser's account (leader until the tabs are known). */
export function useTabRole(tabs: Tabs | null): TabRole {
  return useSyncExternalStore(
    tabs ? (listener) => tabs.onChange(listener) : noTabs,
    () => tabs?.role ?? 'leader',
  );
}
