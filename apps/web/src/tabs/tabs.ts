import type { RchatClientOptions } from '@rchat/sdk';
import type { ChatClient } from '../client/chat-client.ts';
import type { Fence } from './fence.ts';

/**
 * This tab's part in the account of this browser profile: `leader` runs the
 * client (MLS state, token refresh, live stream); `follower` works through the
 * leader tab; `elsewhere` means another tab holds the account and this browser
 * lacks what lets tabs share it, so this tab only offers Use here.
 */
export type TabRole = 'leader' | 'follower' | 'elsewhere';

export interface Tabs {
  readonly role: TabRole;
  /** The signed-in account as this tab's UI uses it, or null when signed out. */
  session(): ChatClient | null;
  /** Called when the role or the session changes (e.g. another tab signed in or out). */
  onChange(listener: () => void): () => void;
  /** Moves the account to this tab: the leader stops its client and this tab runs it. */
  useHere(): Promise<void>;
}

/** The SDK's client as a leader tab runs it. */
export interface HostedClient extends ChatClient {
  /** Stops it and waits until it no longer writes (then another tab may open the storage). */
  close(): Promise<void>;
}

/**
 * What a leader needs of the SDK: client options for one term (storage and network through its
 * fence), restore, and the client's method names.
 */
export interface HubRuntime {
  options(fence: Fence): Promise<RchatClientOptions>;
  restore(options: RchatClientOptions): Promise<HostedClient | null>;
  methods: readonly string[];
}
