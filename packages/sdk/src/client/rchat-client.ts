import { epochAuthenticator, type IdentityKeyPair, type SecretStorageUnlock } from '@rchat/crypto';
import type { RchatApi } from '../api.ts';
import { addDeviceEverywhere, removeDevice } from './account-devices.ts';
import { setPassphrase } from './account-recovery.ts';
import { closeClient, startClient, stopClient } from './client-lifecycle.ts';
import type { RchatClientOptions } from './client-options.ts';
import type { ClientContext } from './context.ts';
import { conversationDevices } from './conversation-devices.ts';
import { applyPendingCommits, rotateGroupKeys } from './conversation-keys.ts';
import { knownConversations, listConversations, startConversation } from './conversation-list.ts';
import { answerLink, type ExistingDeviceLink, type NewDeviceLink } from './device-link.ts';
import { searchUsers } from './find-users.ts';
import { acceptIdentityChange } from './identity-changes.ts';
import { LiveInbox } from './live-inbox.ts';
import { markRead } from './mark-read.ts';
import { discardFailed, flushOutbox } from './outbox-messages.ts';
import { readHistory } from './read-history.ts';
import { markVerified, safetyNumber } from './safety-number.ts';
import { retrySend, sendText } from './send-message.ts';
import * as signIn from './sign-in.ts';
import { deleteAccount, logout } from './sign-out.ts';
import type {
  ChatConversation,
  ChatMessage,
  ClientEvents,
  ConversationDevice,
  SafetyNumberInfo,
} from './types.ts';

export type { RchatClientOptions } from './client-options.ts';

/**
 * An rchat account on this device, end-to-end encrypted: every message is
 * an MLS application message, decrypted only here. Create it with
 * `register`, `login` or `restore`, then `start()` the live stream.
 * Use one client per storage at a time: two clients on one storage would
 * overwrite each other's group state (reusing message keys) and rotate the
 * same refresh token (which revokes the session).
 */
export class RchatClient {
  private readonly inbox: LiveInbox;
  private recoveryKey: string | null;
  private readonly ctx: ClientContext;
  /** Problems found while importing the message backup (e.g. entries rejected by signature). */
  readonly backupWarnings: string[];

  private constructor(signedIn: signIn.SignedIn) {
    this.ctx = signedIn.ctx;
    this.recoveryKey = signedIn.recoveryKey;
    this.backupWarnings = signedIn.backupWarnings;
    this.inbox = new LiveInbox(this.ctx);
  }

  /** The constructor, for the sign-in functions (`sign-in.ts`). */
  private static readonly make: signIn.MakeClient<RchatClient> = (signedIn) =>
    new RchatClient(signedIn);

  get userId(): string {
    return this.ctx.userId;
  }
  get username(): string {
    return this.ctx.username;
  }
  get deviceId(): string {
    return this.ctx.deviceId;
  }
  /** The typed HTTP API under this client (for tools and tests). */
  get api(): RchatApi {
    return this.ctx.api;
  }

  /**
   * Creates an account (username and password only) and this device's keys.
   * `inviteCode` is needed when the server's registration policy is `invite`
   * (`GET /.well-known/rchat`); a missing or wrong one is refused with `REGISTRATION_CLOSED`.
   */
  static register(
    options: RchatClientOptions,
    username: string,
    password: string,
    extra: { inviteCode?: string } = {},
  ): Promise<RchatClient> {
    return signIn.register(RchatClient.make, options, username, password, extra);
  }

  /**
   * The recovery key made at registration, once (null afterwards): show it
   * to the user to write down. With it (or a passphrase set with
   * `setPassphrase`) a new device gets the account and its history back.
   */
  takeRecoveryKey(): string | null {
    const key = this.recoveryKey;
    this.recoveryKey = null;
    return key;
  }

  /**
   * Lets a passphrase (at least 10 characters, stretched with argon2id) open the key backup too.
   */
  setPassphrase(passphrase: string): Promise<void> {
    return setPassphrase(this.ctx.api, this.ctx.account, passphrase);
  }

  /**
   * Writes what is queued for the message backup now (it is otherwise written a moment after each
   * message).
   */
  async flushBackup(): Promise<void> {
    await this.ctx.backup?.flush();
  }

  /**
   * Starts linking this device as a new device of an existing account:
   * signs in with the password (a device without keys yet) and returns the
   * code to show. A signed-in device of the account types the code
   * (`linkDevice`); both show a check code, and the person confirms it on
   * both: here with `confirmCheckCode()` (or `reject()` if the codes differ).
   * Only then does the signed-in device send the keys, and `complete()`
   * returns the signed-in client. History from before comes from the
   * message backup.
   */
  static startLink(
    options: RchatClientOptions,
    username: string,
    password: string,
  ): Promise<NewDeviceLink<RchatClient>> {
    return signIn.startLink(RchatClient.make, options, username, password);
  }

  /**
   * Restores the account on a new device from the recovery key (or the
   * passphrase): brings back the identity key, imports the message backup,
   * and asks the conversations' devices to add this device. A wrong key gets
   * RECOVERY_KEY_WRONG and leaves the account as it was.
   */
  static restoreFromRecoveryKey(
    options: RchatClientOptions,
    username: string,
    password: string,
    unlock: SecretStorageUnlock,
  ): Promise<RchatClient> {
    return signIn.restoreFromRecoveryKey(RchatClient.make, options, username, password, unlock);
  }

  /**
   * For a person who lost every device and the recovery key: a loud reset of
   * the account's encryption identity (needs the password). Every other device
   * is signed out, the old key backup is deleted, and contacts see a blocking
   * "identity changed" state until they accept the new identity; until then
   * this device is in none of the old conversations. A new recovery key is
   * made (`takeRecoveryKey`).
   */
  static resetIdentity(
    options: RchatClientOptions,
    username: string,
    password: string,
  ): Promise<RchatClient> {
    return signIn.resetIdentity(RchatClient.make, options, username, password);
  }

  /**
   * Links a new device (this device is signed in): `code` is what the new
   * device shows. Compare the returned check code with the new device's,
   * then `confirm()` (once the new device's person has confirmed too, sends
   * the account keys over the end-to-end channel and adds the device to every
   * conversation) or `abort()`.
   */
  async linkDevice(code: string): Promise<ExistingDeviceLink> {
    return answerLink(
      this.ctx.api,
      code,
      { identity: this.ctx.identity, recovery: await this.ctx.account.recoverySecrets() },
      (deviceId) => this.addDeviceToConversations(deviceId),
    );
  }

  /**
   * Signs in on a device that already holds this account's keys, proving it
   * holds this device's key (a signature over the server's challenge);
   * otherwise throws `NEW_DEVICE`.
   */
  static login(
    options: RchatClientOptions,
    username: string,
    password: string,
  ): Promise<RchatClient> {
    return signIn.login(RchatClient.make, options, username, password);
  }

  /**
   * Signs in as a new device of an existing account whose identity key this
   * device has been given (by a linked device, or from the recovery key). The
   * device starts at the account's current inbox position; another device of
   * the account then adds it to the conversations (`addDeviceToConversations`).
   */
  static loginWithIdentity(
    options: RchatClientOptions,
    username: string,
    password: string,
    identity: IdentityKeyPair,
  ): Promise<RchatClient> {
    return signIn.loginWithIdentity(RchatClient.make, options, username, password, identity);
  }

  /** This account's identity key pair (to hand to a new device over a secure channel). */
  get identityKeyPair(): IdentityKeyPair {
    return this.ctx.identity;
  }

  /** The account this storage is signed in to, or null. */
  static restore(options: RchatClientOptions): Promise<RchatClient | null> {
    return signIn.restore(RchatClient.make, options);
  }

  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    return this.ctx.events.on(event, handler);
  }

  /**
   * Opens the live stream; first processes everything since this device's cursor. Resolves when it
   * is live.
   */
  start(): Promise<void> {
    return startClient(this.ctx, this.inbox);
  }

  /** Resolves when every entry received so far has been processed. */
  idle(): Promise<void> {
    return this.inbox.idle();
  }

  /**
   * Closes the live stream; the outbox no longer retries by itself (`sendText`, `retry` and
   * `flushOutbox` still send).
   */
  stop(): void {
    stopClient(this.ctx, this.inbox);
  }

  /**
   * Stops the client and waits until it no longer writes to storage: the
   * entries received are processed, the message backup is written, and the
   * latest tokens are stored. Afterwards another client may open the same
   * storage (e.g. another browser tab taking over); this one must not be used again.
   */
  close(): Promise<void> {
    return closeClient(this.ctx, this.inbox);
  }

  /**
   * Signs this device out. Messages still in the outbox stay on the device,
   * sealed with the account's other data, and are sent after the next sign-in
   * here (`login`); nothing is sent in between.
   */
  logout(): Promise<void> {
    return logout(this.ctx, this.inbox);
  }

  /**
   * Changes the account password (`current` re-authenticates; the new one
   * must pass the server's policy). Every other device is signed out at once
   * and must sign in again with the new password; this device stays signed
   * in. Answers how many devices were signed out. Needs a certified device
   * (DEVICE_NOT_CERTIFIED otherwise); a wrong `current` gets WRONG_PASSWORD.
   */
  async changePassword(current: string, next: string): Promise<number> {
    return (await this.ctx.api.changePassword(current, next)).signedOutDevices;
  }

  /**
   * Ends the sessions of every other device of the account (a lost phone, a
   * shared computer): they must sign in again. They stay in the device list
   * with their keys; remove one with `removeDevice` to cut it off for good.
   * Answers how many devices were signed out.
   */
  async signOutOtherDevices(): Promise<number> {
    return (await this.ctx.api.signOutOtherDevices()).signedOutDevices;
  }

  /**
   * Deletes the account for good (the password re-authenticates): every
   * device is signed out, the keys and backups on the server are erased,
   * the other members' devices remove this account from their conversations
   * and see "<name> deleted their account". The username stays reserved.
   * This device's local copy of the account is erased too.
   */
  deleteAccount(password: string): Promise<void> {
    return deleteAccount(this.ctx, this.inbox, password);
  }

  /**
   * Users whose username starts with `prefix` (at least USER_SEARCH_MIN_LENGTH characters; shorter
   * ones are refused here, without asking the server).
   */
  searchUsers(prefix: string, limit = 10): Promise<{ id: string; username: string }[]> {
    return searchUsers(this.ctx, prefix, limit);
  }

  /** Opens (or creates) the direct conversation and makes sure its encryption is set up. */
  startConversation(peer: { userId: string } | { username: string }): Promise<ChatConversation> {
    return startConversation(this.ctx, peer);
  }

  conversations(): Promise<ChatConversation[]> {
    return listConversations(this.ctx);
  }

  /**
   * The conversations as this device last listed them (kept sealed on the
   * device), without asking the server: to queue a message while it cannot be
   * reached. Counts and encryption states are as they were then.
   */
  knownConversations(): Promise<ChatConversation[]> {
    return knownConversations(this.ctx);
  }

  history(
    conversationId: string,
    page: { before?: number; limit?: number } = {},
  ): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
    return readHistory(this.ctx, conversationId, page, () => this.catchUp());
  }

  /**
   * Queues a text in this device's sealed outbox and answers once it is
   * written there (`sending`, or `queued` while the server cannot be
   * reached) — never waiting for the network. The outbox sends it in the
   * background in typing order and retries by itself; listeners see it
   * `sent` or `failed`. A reload, crash or closed tab loses nothing: the next
   * `start()` (or `flushOutbox()`) sends it, under the same txnId, so the
   * server stores it once. Refused at once with IDENTITY_CHANGED while the
   * peer's identity change is known and unaccepted, or OUTBOX_FULL.
   */
  sendText(conversationId: string, text: string): Promise<ChatMessage> {
    return sendText(this.ctx, conversationId, text);
  }

  /** Queues a `failed` message again and tries it now; answers it as `sending` (or `queued`). */
  retry(clientMsgId: string): Promise<ChatMessage> {
    return retrySend(this.ctx, clientMsgId);
  }

  /**
   * Takes a `failed` message out of the outbox for good (the person gave up on it); other messages
   * are not touched.
   */
  discard(clientMsgId: string): Promise<void> {
    return discardFailed(this.ctx, clientMsgId);
  }

  /**
   * Sends what the outbox holds now, in order, and resolves when that is
   * done, with the messages left in it: `queued` ones the server could not
   * take yet (unreachable, busy), `failed` ones it refused; none when all
   * were sent. For a process that is about to exit.
   */
  flushOutbox(): Promise<ChatMessage[]> {
    return flushOutbox(this.ctx);
  }

  /**
   * Marks the conversation read up to `seq` (default: its last message); listeners get the updated
   * conversation.
   */
  markRead(conversationId: string, seq?: number): Promise<void> {
    return markRead(this.ctx, conversationId, seq);
  }

  /** Fresh keys for this device in the conversation (post-compromise security). */
  rotateKeys(conversationId: string): Promise<bigint> {
    return this.ctx.lock.run(() => rotateGroupKeys(this.ctx, conversationId));
  }

  /** The account's devices (name, created, last seen; `current` marks this one). */
  devices() {
    return this.ctx.api.devices();
  }

  /**
   * Removes one of this account's devices: the server revokes it at once, and
   * this device removes it from every conversation's group, so it cannot read
   * anything sent afterwards.
   */
  removeDevice(deviceId: string): Promise<void> {
    return removeDevice(this.ctx, deviceId);
  }

  /**
   * Adds another device of this account to every conversation this device is in (after linking it).
   */
  addDeviceToConversations(deviceId: string): Promise<number> {
    return addDeviceEverywhere(this.ctx, deviceId);
  }

  /** Applies commits this device has not seen (normally the stream does this). */
  syncKeys(conversationId: string): Promise<void> {
    return this.ctx.lock.run(async () => {
      await applyPendingCommits(this.ctx, conversationId);
    });
  }

  /**
   * This device's MLS epoch and epoch authenticator for a conversation (for verification and
   * tests).
   */
  async groupState(
    conversationId: string,
  ): Promise<{ epoch: bigint; authenticator: Uint8Array } | null> {
    const group = await this.ctx.groups.get(conversationId);
    return group ? { epoch: group.epoch, authenticator: epochAuthenticator(group) } : null;
  }

  /**
   * The safety number to compare with the peer of a direct conversation, and whether their key
   * changed or was verified.
   */
  safetyNumber(conversationId: string): Promise<SafetyNumberInfo> {
    return safetyNumber(this.ctx, conversationId);
  }

  /**
   * The person compared the safety number shown now and it matched: a changed identity is accepted
   * too (`acceptIdentityChange`).
   */
  markVerified(conversationId: string): Promise<void> {
    return markVerified(this.ctx, conversationId);
  }

  /**
   * Accepts the peer's changed identity key (after comparing safety numbers,
   * or knowing they reset their identity): sending works again, their stale
   * devices are removed and the devices of the new identity are added.
   */
  acceptIdentityChange(conversationId: string): Promise<void> {
    return acceptIdentityChange(this.ctx, conversationId);
  }

  /**
   * Every device that can read the conversation (its MLS group), with owner, name, added date and
   * key fingerprint.
   */
  conversationDevices(conversationId: string): Promise<ConversationDevice[]> {
    return conversationDevices(this.ctx, conversationId);
  }

  /**
   * Processes, in order, every inbox entry after this device's cursor straight
   * from the store (what the stream would bring), e.g. before showing history.
   * Processing is idempotent, so the stream may deliver the same entries again.
   */
  catchUp(): Promise<void> {
    return this.inbox.catchUp();
  }
}
