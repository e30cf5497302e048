// The SDK with its MLS crypto: loaded as its own chunk (see session.ts).
import {
  RchatClient,
  type ClientStorage,
  type NewDeviceLink as SdkNewDeviceLink,
  type RchatClientOptions,
} from '@rchat/sdk';
import { openIndexedDbStorage } from '@rchat/sdk/browser';
import { AccountHub } from '../tabs/account-hub.ts';
import type { Fence } from '../tabs/fence.ts';
import { openSoloTab } from '../tabs/solo-tab.ts';
import { callableMethods } from '../tabs/tab-client.ts';
import type { HubRuntime, Tabs } from '../tabs/tabs.ts';
import type { BackupSecret, ChatClient, NewDeviceLink } from './chat-client.ts';
import { browserDeviceName } from './device-name.ts';

/** Where tabs of this browser profile talk to each other. */
const CHANNEL_NAME = 'rchat-account';

// Keys, group state and messages live in IndexedDB, sealed under a non-extractable WebCrypto key
// (one connection per tab).
let storage: Promise<ClientStorage> | null = null;

const runtime: HubRuntime = {
  // A leader's client reaches storage and network through its term's fence.
  options: async (fence: Fence): Promise<RchatClientOptions> => {
    storage ??= openIndexedDbStorage();
    return {
      baseUrl: location.origin,
      storage: fence.storage(await storage),
      fetch: fence.fetch,
      deviceName: browserDeviceName(),
    };
  },
  restore: (options) => RchatClient.restore(options),
  methods: callableMethods(RchatClient.prototype),
};

export type AccountTabs = Tabs &
  Pick<AccountHub, 'ready' | 'openError' | 'signIn' | 'leaderOptions' | 'adoptClient'>;

let tabs: AccountTabs | null = null;

/**
 * This tab's place among the browser's tabs of rchat (made once). With Web
 * Locks and BroadcastChannel, tabs share one client; without them, one tab at
 * a time runs the account and the others say where it is open.
 */
export function openTabs(): AccountTabs {
  if (tabs) return tabs;
  const locks = (navigator as Partial<Navigator>).locks;
  tabs =
    locks && typeof BroadcastChannel === 'function'
      ? new AccountHub(new BroadcastChannel(CHANNEL_NAME), locks, runtime)
      : openSoloTab(runtime);
  return tabs;
}

export function login(username: string, password: string): Promise<ChatClient> {
  return openTabs().signIn((o) => RchatClient.login(o, username, password));
}

export function register(
  username: string,
  password: string,
  inviteCode?: string,
): Promise<ChatClient> {
  return openTabs().signIn((o) =>
    RchatClient.register(o, username, password, inviteCode ? { inviteCode } : {}),
  );
}

export async function startLink(username: string, password: string): Promise<NewDeviceLink> {
  const t = openTabs();
  const link = await RchatClient.startLink(await t.leaderOptions(), username, password);
  return linkAdoptedBy(link, t);
}

export function restoreFromBackup(
  username: string,
  password: string,
  secret: BackupSecret,
): Promise<ChatClient> {
  return openTabs().signIn((o) =>
    RchatClient.restoreFromRecoveryKey(o, username, password, secret),
  );
}

export function resetIdentity(username: string, password: string): Promise<ChatClient> {
  return openTabs().signIn((o) => RchatClient.resetIdentity(o, username, password));
}

/** The new device's side of linking, whose signed-in client becomes this browser's account. */
function linkAdoptedBy(link: SdkNewDeviceLink<RchatClient>, t: AccountTabs): NewDeviceLink {
  return {
    code: link.code,
    qrText: link.qrText,
    expiresAt: link.expiresAt,
    waitForCheckCode: (signal) => link.waitForCheckCode(signal),
    confirmCheckCode: () => link.confirmCheckCode(),
    reject: () => link.reject(),
    cancel: () => link.cancel(),
    complete: async (signal) => t.adoptClient(await link.complete(signal)),
  };
}
