import type { BackupSecret, ChatClient, NewDeviceLink } from './chat-client.ts';
import type { Tabs } from '../tabs/tabs.ts';

export type SignInMode = 'login' | 'register';

// The SDK (with the MLS crypto) is its own chunk: the login page renders before it has loaded.
const loadSdk = () => import('./sdk-client.ts');

/** Starts loading the SDK in the background (the login page calls this once it has rendered). */
export function preloadSdk(): void {
  void loadSdk().catch(() => undefined);
}

/**
 * This tab among the browser's tabs of rchat, once it knows whether the
 * account is signed in (restored from storage here, or told by the tab that holds it).
 * Fails when this browser could not open its local key storage.
 */
export async function openTabs(): Promise<Tabs> {
  const tabs = (await loadSdk()).openTabs();
  await tabs.ready;
  if (tabs.openError && !tabs.session()) throw tabs.openError;
  return tabs;
}

/** `inviteCode` only for registering on a server whose policy is `invite`. */
export async function signIn(
  mode: SignInMode,
  username: string,
  password: string,
  inviteCode?: string,
): Promise<ChatClient> {
  const sdk = await loadSdk();
  return mode === 'login'
    ? sdk.login(username, password)
    : sdk.register(username, password, inviteCode);
}

/** On a browser with no keys for the account: shows a code for a signed-in device to type. */
export async function startLink(username: string, password: string): Promise<NewDeviceLink> {
  return (await loadSdk()).startLink(username, password);
}

/**
 * On a browser with no keys for the account: opens the key backup with the recovery key or
 * passphrase.
 */
export async function restoreFromBackup(
  username: string,
  password: string,
  secret: BackupSecret,
): Promise<ChatClient> {
  return (await loadSdk()).restoreFromBackup(username, password, secret);
}

/**
 * For someone who lost every device and the recovery key: a new encryption identity for the
 * account.
 * Every other device is signed out, peers must accept the new identity, and old history stays
 * unreadable.
 */
export async function resetIdentity(username: string, password: string): Promise<ChatClient> {
  return (await loadSdk()).resetIdentity(username, password);
}
