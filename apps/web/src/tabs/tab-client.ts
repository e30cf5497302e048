import type { ChatClient, ClientEvents, ExistingDeviceLink } from '../client/chat-client.ts';
import type { AccountSummary } from './tab-messages.ts';

/** What a tab's client needs of the tab's hub: the calls it cannot answer from the summary. */
export interface ClientHost {
  call(method: string, args: unknown[]): Promise<unknown>;
  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void;
  start(): Promise<void>;
  takeRecoveryKey(): string | null;
  linkDevice(code: string): Promise<ExistingDeviceLink>;
}

/**
 * The account as this tab's UI sees it, the same object whether this tab
 * holds the account or works through the tab that does. Identity comes from
 * the summary; every other method of the client (`methods`, read from the
 * SDK's client class, so methods added later are forwarded too) is a call by
 * name with plain-data arguments, answered by the leader's client.
 * `stop()` does nothing: the stream runs in the leader while the account is signed in.
 */
export function tabClient(
  host: ClientHost,
  account: AccountSummary,
  methods: readonly string[],
): ChatClient {
  const own = {
    userId: account.userId,
    username: account.username,
    deviceId: account.deviceId,
    backupWarnings: account.backupWarnings,
    on: host.on.bind(host),
    start: () => host.start(),
    stop: () => undefined,
    takeRecoveryKey: () => host.takeRecoveryKey(),
    linkDevice: (code: string) => host.linkDevice(code),
  };
  const forwarded = Object.fromEntries(
    methods.filter((m) => !(m in own)).map((m) => [m, (...args: unknown[]) => host.call(m, args)]),
  );
  return Object.freeze({ ...forwarded, ...own }) as unknown as ChatClient;
}

/**
 * The methods of a client class that can be called by name (not the constructor, accessors or
 * `close`, which only the hub calls).
 */
export function callableMethods(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter(
    (name) =>
      name !== 'constructor' &&
      name !== 'close' &&
      typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
  );
}
