import type {
  ChatConversation,
  ChatMessage,
  ClientEvents,
  ConversationDevice,
  ExistingDeviceLink,
  NewDeviceLink as SdkNewDeviceLink,
  SafetyNumberInfo,
} from '@rchat/sdk';

export type {
  ChatConversation,
  ChatMessage,
  ClientEvents,
  ConversationDevice,
  ExistingDeviceLink,
  MessageContent,
  SafetyNumberInfo,
  SecurityAlert,
} from '@rchat/sdk';
/** Rules the client checks before asking the server (which refuses the same). */
export { USER_SEARCH_MIN_LENGTH, minPassphraseLength, passphraseProblem } from '@rchat/sdk';

export interface UserSummary {
  id: string;
  username: string;
}

/** One device of the signed-in account (times are ISO strings). */
export interface AccountDevice {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string;
  /** True for the device this page runs on. */
  current: boolean;
}

/**
 * Linking, on the new device: it shows the code (and a QR code of it) until a signed-in device
 * answers; `complete()` gives the signed-in client.
 */
export type NewDeviceLink = SdkNewDeviceLink<ChatClient>;

/** What opens the key backup on a browser with no linked device. */
export type BackupSecret = { recoveryKey: string } | { passphrase: string };

/**
 * What the web client uses of the SDK's `RchatClient`: one signed-in account on this browser.
 * Tabs share it (see `../tabs/`): apart from the identity fields, `on`, `start`, `stop`,
 * `takeRecoveryKey`
 * and `linkDevice`, every method is called in the tab that runs the client, by name, so it must
 * return a
 * Promise and take and give structured-clonable data (no callbacks).
 */
export interface ChatClient {
  readonly userId: string;
  readonly username: string;
  readonly deviceId: string;
  /**
   * Problems found while importing the message backup on a linked or restored device (e.g. entries
   * not signed by the account).
   */
  readonly backupWarnings: readonly string[];
  start(): Promise<void>;
  stop(): void;
  logout(): Promise<void>;
  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void;
  searchUsers(prefix: string, limit?: number): Promise<UserSummary[]>;
  startConversation(peer: { userId: string } | { username: string }): Promise<ChatConversation>;
  conversations(): Promise<ChatConversation[]>;
  history(
    conversationId: string,
    page?: { before?: number; limit?: number },
  ): Promise<{ messages: ChatMessage[]; nextBefore: number | null }>;
  sendText(conversationId: string, text: string): Promise<ChatMessage>;
  retry(clientMsgId: string): Promise<ChatMessage>;
  markRead(conversationId: string, seq?: number): Promise<void>;
  safetyNumber(conversationId: string): Promise<SafetyNumberInfo>;
  markVerified(conversationId: string): Promise<void>;
  /**
   * Trusts the peer's new encryption identity (after an identity change): their current devices are
   * added and sending works again.
   */
  acceptIdentityChange(conversationId: string): Promise<void>;
  /** Every device that can read the conversation, with its owner. */
  conversationDevices(conversationId: string): Promise<ConversationDevice[]>;
  devices(): Promise<AccountDevice[]>;
  /**
   * Changes the password (the current one confirms it); every other device is signed out. Answers
   * how many.
   */
  changePassword(current: string, next: string): Promise<number>;
  /** Ends the sessions of every other device of the account. Answers how many were signed in. */
  signOutOtherDevices(): Promise<number>;
  /** Deletes the account for good (the password confirms it) and this browser's copy of it. */
  deleteAccount(password: string): Promise<void>;
  /** Signs the device out everywhere and removes it from every conversation's keys. */
  removeDevice(deviceId: string): Promise<void>;
  /** Links a new device from the code it shows. */
  linkDevice(code: string): Promise<ExistingDeviceLink>;
  /** The recovery key, once, right after registering; null otherwise. */
  takeRecoveryKey(): string | null;
  /** Lets the key backup also be opened with this passphrase. */
  setPassphrase(passphrase: string): Promise<void>;
}
