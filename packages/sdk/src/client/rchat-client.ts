import { epochAuthenticator, safetyNumber, formatSafetyNumber, fromBase64, generateIdentityKeyPair, signDeviceLogin, toBase64, type DeviceKeys, type IdentityKeyPair, type SecretStorageUnlock } from '@rchat/crypto';
import { USER_SEARCH_MIN_LENGTH, type InboxEntry, type SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import type { EventStream } from '../event-stream.ts';
import { addDeviceEverywhere, removeDeviceEverywhere } from './account-devices.ts';
import { AccountStore, type RecoverySecrets } from './account-store.ts';
import { createRecovery, openRecovery, setPassphrase } from './account-recovery.ts';
import { deviceNameOf, newApi, type RchatClientOptions } from './client-options.ts';
import { raiseAlert, toChatConversation, type ClientContext } from './context.ts';
import { conversationDevices } from './conversation-devices.ts';
import { acceptIdentityChange, checkIdentities, ownIdentityResetAlert } from './identity-changes.ts';
import { applyPendingCommits, initializeGroup, rotateGroupKeys } from './conversation-keys.ts';
import { createClientContext } from './create-context.ts';
import { answerLink, offerLink, sendReady, type ExistingDeviceLink, type NewDeviceLink } from './device-link.ts';
import { replenishKeyPackages, setUpFirstDevice } from './device-setup.ts';
import { processEntry } from './inbox-processor.ts';
import { becomeDevice, discardDevice, importHistory, signInWithoutKeys, type SignedInWithoutKeys } from './new-device.ts';
import { readHistory } from './read-history.ts';
import { retrySend, sendText } from './send-message.ts';
import type { ChatConversation, ChatMessage, ClientEvents, ConversationDevice, SafetyNumberInfo } from './types.ts';

export type { RchatClientOptions } from './client-options.ts';

/** Where the last conversation list is kept on the device (see `knownConversations`). */
const KNOWN_CONVERSATIONS = 'conversations';

/**
 * An rchat account on this device, end-to-end encrypted: every message is
 * an MLS application message, decrypted only here. Create it with
 * `register`, `login` or `restore`, then `start()` the live stream.
 * Use one client per storage at a time: two clients on one storage would
 * overwrite each other's group state (reusing message keys) and rotate the
 * same refresh token (which revokes the session).
 */
export class RchatClient {
  private stream: EventStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  private recoveryKey: string | null = null;

  private constructor(private readonly ctx: ClientContext) {}

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
  static async register(options: RchatClientOptions, username: string, password: string, extra: { inviteCode?: string } = {}): Promise<RchatClient> {
    let account: AccountStore | null = null;
    const api = newApi(options, undefined, (s) => void account?.saveSession(s));
    const session = await api.register({ username, password, device: { name: deviceNameOf(options) }, ...(extra.inviteCode ? { inviteCode: extra.inviteCode } : {}) });
    account = new AccountStore(options.storage, session.user.id);
    await account.saveSession(session);
    const { identity, device } = await setUpFirstDevice(api, account, { userId: session.user.id, deviceId: session.deviceId });
    const recoveryKey = await createRecovery(api, account, identity);
    await account.saveCursor(0);
    await AccountStore.remember(options.storage, { userId: session.user.id, username: session.user.username, deviceId: session.deviceId });
    const client = await RchatClient.build(options, api, account, session, identity, device);
    client.recoveryKey = recoveryKey;
    return client;
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

  /** Lets a passphrase (at least 10 characters, stretched with argon2id) open the key backup too. */
  setPassphrase(passphrase: string): Promise<void> {
    return setPassphrase(this.ctx.api, this.ctx.account, passphrase);
  }

  /** Writes what is queued for the message backup now (it is otherwise written a moment after each message). */
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
  static async startLink(options: RchatClientOptions, username: string, password: string): Promise<NewDeviceLink<RchatClient>> {
    const signedIn = await signInWithoutKeys(options, username, password);
    try {
      return await offerLink(
        signedIn.api,
        signedIn.session,
        deviceNameOf(options),
        async (keys, channel, sessionId) => {
          const client = await RchatClient.fromNewDevice(options, signedIn, keys.identity, keys.recovery);
          await sendReady(signedIn.api, sessionId, channel, signedIn.session.deviceId);
          return client;
        },
        () => discardDevice(signedIn),
      );
    } catch (err) {
      await discardDevice(signedIn);
      throw err;
    }
  }

  /**
   * Restores the account on a new device from the recovery key (or the
   * passphrase): brings back the identity key, imports the message backup,
   * and asks the conversations' devices to add this device. A wrong key gets
   * RECOVERY_KEY_WRONG and leaves the account as it was.
   */
  static async restoreFromRecoveryKey(options: RchatClientOptions, username: string, password: string, unlock: SecretStorageUnlock): Promise<RchatClient> {
    const signedIn = await signInWithoutKeys(options, username, password);
    const opened = await openRecovery(signedIn.api, signedIn.session.user.id, unlock).catch(async (err: unknown) => {
      await discardDevice(signedIn);
      throw err;
    });
    const client = await RchatClient.fromNewDevice(options, signedIn, opened.identity, opened.recovery);
    for (const c of await signedIn.api.conversations()) await signedIn.api.requestJoin(c.id);
    return client;
  }

  /**
   * For a person who lost every device and the recovery key: a loud reset of
   * the account's encryption identity (needs the password). Every other device
   * is signed out, the old key backup is deleted, and contacts see a blocking
   * "identity changed" state until they accept the new identity; until then
   * this device is in none of the old conversations. A new recovery key is
   * made (`takeRecoveryKey`).
   */
  static async resetIdentity(options: RchatClientOptions, username: string, password: string): Promise<RchatClient> {
    const signedIn = await signInWithoutKeys(options, username, password);
    try {
      const identity = generateIdentityKeyPair();
      await signedIn.api.resetIdentity({ identityKey: toBase64(identity.publicKey), password, confirm: 'reset my encryption identity' });
      const device = await becomeDevice(options, signedIn, identity, undefined);
      const recoveryKey = await createRecovery(signedIn.api, signedIn.account, identity);
      const client = await RchatClient.build(options, signedIn.api, signedIn.account, signedIn.session, identity, device);
      client.recoveryKey = recoveryKey;
      // Contacts' devices see these and find the changed identity; they add this device only once their person accepts it.
      for (const c of await signedIn.api.conversations()) await signedIn.api.requestJoin(c.id).catch(() => undefined);
      return client;
    } catch (err) {
      await discardDevice(signedIn);
      throw err;
    }
  }

  /** A signed-in device without keys becomes a full device of the account, with the history from the backup. */
  private static async fromNewDevice(options: RchatClientOptions, signedIn: SignedInWithoutKeys, identity: IdentityKeyPair, recovery: RecoverySecrets | undefined): Promise<RchatClient> {
    const device = await becomeDevice(options, signedIn, identity, recovery);
    const client = await RchatClient.build(options, signedIn.api, signedIn.account, signedIn.session, identity, device);
    if (recovery) client.backupWarnings.push(...(await importHistory(client.ctx, recovery)));
    return client;
  }

  /** Problems found while importing the message backup (e.g. entries rejected by signature). */
  readonly backupWarnings: string[] = [];

  /**
   * Links a new device (this device is signed in): `code` is what the new
   * device shows. Compare the returned check code with the new device's,
   * then `confirm()` (once the new device's person has confirmed too, sends
   * the account keys over the end-to-end channel and adds the device to every
   * conversation) or `abort()`.
   */
  async linkDevice(code: string): Promise<ExistingDeviceLink> {
    return answerLink(this.ctx.api, code, { identity: this.ctx.identity, recovery: await this.ctx.account.recoverySecrets() }, (deviceId) => this.addDeviceToConversations(deviceId));
  }

  /**
   * Signs in on a device that already holds this account's keys, proving it
   * holds this device's key (a signature over the server's challenge);
   * otherwise throws `NEW_DEVICE`.
   */
  static async login(options: RchatClientOptions, username: string, password: string): Promise<RchatClient> {
    const known = await AccountStore.byUsername(options.storage, username.toLowerCase());
    const stored = known ? new AccountStore(options.storage, known.userId) : null;
    const keys = stored ? { identity: await stored.identity(), device: await stored.device() } : null;
    let account: AccountStore | null = null;
    const api = newApi(options, undefined, (s) => void account?.saveSession(s));
    const name = deviceNameOf(options);
    const session = known && keys?.device
      ? await api.login({ username, password, device: { name, id: known.deviceId, proof: await deviceProof(api, keys.device) } })
      : await api.login({ username, password, device: { name } });
    account = new AccountStore(options.storage, session.user.id);
    const [identity, device] = [await account.identity(), await account.device()];
    if (!known || !identity || !device || known.deviceId !== session.deviceId) {
      // Leave no half-set-up device behind on the account.
      await api.removeDevice(session.deviceId).catch(() => undefined);
      throw new RchatError('NEW_DEVICE', 'This device has no keys for this account yet: it is a new device. Link it from a device where you are signed in, or restore it from your recovery key.', 0);
    }
    await account.saveSession(session);
    await AccountStore.remember(options.storage, { userId: session.user.id, username: session.user.username, deviceId: session.deviceId });
    return RchatClient.build(options, api, account, session, identity, device);
  }

  /**
   * Signs in as a new device of an existing account whose identity key this
   * device has been given (by a linked device, or from the recovery key). The
   * device starts at the account's current inbox position; another device of
   * the account then adds it to the conversations (`addDeviceToConversations`).
   */
  static async loginWithIdentity(options: RchatClientOptions, username: string, password: string, identity: IdentityKeyPair): Promise<RchatClient> {
    const signedIn = await signInWithoutKeys(options, username, password);
    const device = await becomeDevice(options, signedIn, identity, undefined);
    return RchatClient.build(options, signedIn.api, signedIn.account, signedIn.session, identity, device);
  }

  /** This account's identity key pair (to hand to a new device over a secure channel). */
  get identityKeyPair(): IdentityKeyPair {
    return this.ctx.identity;
  }

  /** The account this storage is signed in to, or null. */
  static async restore(options: RchatClientOptions): Promise<RchatClient | null> {
    const ref = await AccountStore.current(options.storage);
    if (!ref) return null;
    const account = new AccountStore(options.storage, ref.userId);
    const [session, identity, device] = [await account.session(), await account.identity(), await account.device()];
    if (!session || !identity || !device) return null;
    const api = newApi(options, session, (s) => void account.saveSession(s));
    return RchatClient.build(options, api, account, session, identity, device);
  }

  private static async build(options: RchatClientOptions, api: RchatApi, account: AccountStore, session: SessionResponse, identity: IdentityKeyPair, device: DeviceKeys): Promise<RchatClient> {
    return new RchatClient(await createClientContext(options, api, account, session, identity, device));
  }

  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    return this.ctx.events.on(event, handler);
  }

  /** Opens the live stream; first processes everything since this device's cursor. Resolves when it is live. */
  async start(): Promise<void> {
    if (this.stream) return;
    const since = (await this.ctx.account.cursor()) ?? 0;
    let live: () => void = () => {};
    let fail: (e: unknown) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      live = resolve;
      fail = reject;
    });
    this.stream = this.ctx.api.events({
      since,
      // Reconnects resume from what this device processed, so the server never counts an unprocessed entry as passed.
      resumeFrom: () => this.ctx.account.cursor(),
      onEntry: (entry) => this.enqueue(entry),
      onReady: () => {
        void this.queue.then(live);
        void checkIdentities(this.ctx).catch(() => undefined);
      },
      onStatus: (status, error) => {
        if (status === 'live') this.ctx.drain.now(); // connected (again): what is queued goes now
        if (status === 'closed' && error instanceof RchatError && error.code === 'IDENTITY_RESET') raiseAlert(this.ctx, ownIdentityResetAlert);
        this.ctx.events.emit('status', status);
        if (status === 'closed' && error) {
          this.ctx.events.emit('warning', { message: error instanceof Error ? error.message : String(error) });
          fail(error);
        }
      },
    });
    void replenishKeyPackages(this.ctx.api, this.ctx.account, this.ctx.device).catch(() => undefined);
    void this.ctx.backup?.flush(); // what an earlier run queued but did not write
    this.ctx.drain.resume(); // and what it could not send
    await ready;
  }

  /** Resolves when every entry received so far has been processed. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Closes the live stream; the outbox no longer retries by itself (`sendText`, `retry` and `flushOutbox` still send). */
  stop(): void {
    this.stream?.close();
    this.stream = null;
    this.ctx.drain.pause();
  }

  /**
   * Stops the client and waits until it no longer writes to storage: the
   * entries received are processed, the message backup is written, and the
   * latest tokens are stored. Afterwards another client may open the same
   * storage (e.g. another browser tab taking over); this one must not be used again.
   */
  async close(): Promise<void> {
    this.stop();
    this.ctx.drain.close();
    await this.ctx.drain.stopped();
    await this.queue;
    await this.ctx.backup?.flush();
    await this.ctx.api.settled();
    await this.ctx.account.sessionSaved();
  }

  /**
   * Signs this device out. Messages still in the outbox stay on the device,
   * sealed with the account's other data, and are sent after the next sign-in
   * here (`login`); nothing is sent in between.
   */
  async logout(): Promise<void> {
    this.stop();
    this.ctx.drain.close();
    await this.ctx.backup?.flush();
    await this.ctx.api.logout().catch(() => undefined);
    await this.ctx.account.saveSession(null);
    await AccountStore.forget(this.ctx.account.storage);
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
  async deleteAccount(password: string): Promise<void> {
    await this.ctx.api.deleteAccount(password);
    this.stop();
    this.ctx.drain.close();
    await this.ctx.lock.run(() => AccountStore.erase(this.ctx.account.storage, { userId: this.ctx.userId, username: this.ctx.username }));
  }

  /** Users whose username starts with `prefix` (at least USER_SEARCH_MIN_LENGTH characters; shorter ones are refused here, without asking the server). */
  async searchUsers(prefix: string, limit = 10): Promise<{ id: string; username: string }[]> {
    const query = prefix.trim().toLowerCase();
    if (query.length < USER_SEARCH_MIN_LENGTH) {
      throw new RchatError('VALIDATION_FAILED', `Type at least ${USER_SEARCH_MIN_LENGTH} characters of a username to search.`, 0);
    }
    const res = await this.ctx.api.searchUsers(query, { limit });
    return res.users.filter((u) => u.id !== this.ctx.userId).map((u) => ({ id: u.id, username: u.username }));
  }

  /** Opens (or creates) the direct conversation and makes sure its encryption is set up. */
  async startConversation(peer: { userId: string } | { username: string }): Promise<ChatConversation> {
    const userId = 'userId' in peer ? peer.userId : await this.findUserId(peer.username);
    const conversation = await this.ctx.api.createConversation(userId);
    await this.ctx.lock.run(() => initializeGroup(this.ctx, conversation));
    const started = await toChatConversation(this.ctx, await this.ctx.api.conversation(conversation.id));
    const known = await this.knownConversations();
    await this.ctx.account.sealed.putJson(KNOWN_CONVERSATIONS, [started, ...known.filter((c) => c.id !== started.id)]);
    return started;
  }

  async conversations(): Promise<ChatConversation[]> {
    const list = await this.ctx.api.conversations();
    const conversations = await Promise.all(list.map((c) => toChatConversation(this.ctx, c)));
    await this.ctx.account.sealed.putJson(KNOWN_CONVERSATIONS, conversations);
    return conversations;
  }

  /**
   * The conversations as this device last listed them (kept sealed on the
   * device), without asking the server: to queue a message while it cannot be
   * reached. Counts and encryption states are as they were then.
   */
  async knownConversations(): Promise<ChatConversation[]> {
    return (await this.ctx.account.sealed.getJson<ChatConversation[]>(KNOWN_CONVERSATIONS)) ?? [];
  }

  history(conversationId: string, page: { before?: number; limit?: number } = {}): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
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

  /** Takes a `failed` message out of the outbox for good (the person gave up on it); other messages are not touched. */
  async discard(clientMsgId: string): Promise<void> {
    await this.ctx.lock.run(async () => {
      if ((await this.ctx.outbox.get(clientMsgId))?.message.status === 'failed') await this.ctx.outbox.remove(clientMsgId);
    });
  }

  /**
   * Sends what the outbox holds now, in order, and resolves when that is
   * done, with the messages left in it: `queued` ones the server could not
   * take yet (unreachable, busy), `failed` ones it refused; none when all
   * were sent. For a process that is about to exit.
   */
  async flushOutbox(): Promise<ChatMessage[]> {
    await this.ctx.drain.flush();
    return (await this.ctx.outbox.list()).map(({ message }) => (message.status === 'failed' ? message : { ...message, status: this.ctx.drain.statusOf(message) }));
  }

  async markRead(conversationId: string, seq?: number): Promise<void> {
    const target = seq ?? (await this.ctx.api.conversation(conversationId)).lastSeq;
    const res = await this.ctx.api.markRead(conversationId, target);
    const conversation = await this.ctx.api.conversation(res.conversationId);
    this.ctx.events.emit('conversation', await toChatConversation(this.ctx, conversation));
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
  async removeDevice(deviceId: string): Promise<void> {
    await this.ctx.api.removeDevice(deviceId);
    await removeDeviceEverywhere(this.ctx, deviceId);
  }

  /** Adds another device of this account to every conversation this device is in (after linking it). */
  addDeviceToConversations(deviceId: string): Promise<number> {
    return addDeviceEverywhere(this.ctx, deviceId);
  }

  /** Applies commits this device has not seen (normally the stream does this). */
  syncKeys(conversationId: string): Promise<void> {
    return this.ctx.lock.run(async () => {
      await applyPendingCommits(this.ctx, conversationId);
    });
  }

  /** This device's MLS epoch and epoch authenticator for a conversation (for verification and tests). */
  async groupState(conversationId: string): Promise<{ epoch: bigint; authenticator: Uint8Array } | null> {
    const group = await this.ctx.groups.get(conversationId);
    return group ? { epoch: group.epoch, authenticator: epochAuthenticator(group) } : null;
  }

  async safetyNumber(conversationId: string): Promise<SafetyNumberInfo> {
    const conversation = await this.ctx.api.conversation(conversationId);
    const peer = conversation.members.find((m) => m.userId !== this.ctx.userId);
    if (!peer) throw new RchatError('NOT_FOUND', 'This conversation has no other member.', 0);
    const keys = await this.ctx.trust.directory(peer.userId, true);
    const peerKey = keys.identityKey ? fromBase64(keys.identityKey) : undefined;
    if (!peerKey) throw new RchatError('PEER_HAS_NO_KEYS', `${peer.username} has not set up encryption yet.`, 0);
    const digits = safetyNumber({ stableId: this.ctx.userId, identityKey: this.ctx.identity.publicKey }, { stableId: peer.userId, identityKey: peerKey });
    const pin = await this.ctx.trust.pinned(peer.userId);
    return { digits, formatted: formatSafetyNumber(digits), identityKeyChanged: !!pin?.pending, verified: !pin?.pending && (pin?.verified ?? false) };
  }

  /** The person compared the safety number shown now and it matched: a changed identity is accepted too (`acceptIdentityChange`). */
  async markVerified(conversationId: string): Promise<void> {
    await acceptIdentityChange(this.ctx, conversationId);
    const conversation = await this.ctx.api.conversation(conversationId);
    const peer = conversation.members.find((m) => m.userId !== this.ctx.userId);
    if (peer) await this.ctx.trust.markVerified(peer.userId);
  }

  /**
   * Accepts the peer's changed identity key (after comparing safety numbers,
   * or knowing they reset their identity): sending works again, their stale
   * devices are removed and the devices of the new identity are added.
   */
  acceptIdentityChange(conversationId: string): Promise<void> {
    return acceptIdentityChange(this.ctx, conversationId);
  }

  /** Every device that can read the conversation (its MLS group), with owner, name, added date and key fingerprint. */
  conversationDevices(conversationId: string): Promise<ConversationDevice[]> {
    return conversationDevices(this.ctx, conversationId);
  }

  private async findUserId(username: string): Promise<string> {
    const name = username.trim().toLowerCase();
    // No username is shorter than the search minimum, so a shorter name names no one.
    if (name.length < USER_SEARCH_MIN_LENGTH) throw new RchatError('USER_NOT_FOUND', `No user is called ${name}.`, 0);
    const res = await this.ctx.api.searchUsers(name, { limit: 1 });
    const match = res.users.find((u) => u.username === name);
    if (!match) throw new RchatError('USER_NOT_FOUND', `No user is called ${name}.`, 0);
    return match.id;
  }

  /**
   * Processes, in order, every inbox entry after this device's cursor straight
   * from the store (what the stream would bring), e.g. before showing history.
   * Processing is idempotent, so the stream may deliver the same entries again.
   */
  catchUp(): Promise<void> {
    const run = this.queue.then(async () => {
      for (;;) {
        const after = (await this.ctx.account.cursor()) ?? 0;
        const page = await this.ctx.api.inbox(after, 500);
        for (const entry of page.entries) {
          await this.ctx.lock.run(() => processEntry(this.ctx, entry));
          await this.ctx.account.saveCursor(entry.seq);
        }
        // A page may end early (the server's byte budget): the inbox goes on up to headSeq.
        const last = page.entries.at(-1);
        if (!last || last.seq >= page.headSeq) return;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private enqueue(entry: InboxEntry): void {
    this.queue = this.queue.then(() =>
      this.ctx.lock
        .run(() => processEntry(this.ctx, entry))
        .then(() => this.ctx.account.saveCursor(entry.seq))
        .catch((err: unknown) => this.ctx.events.emit('warning', { message: `An event could not be processed: ${err instanceof Error ? err.message : String(err)}` })),
    );
  }
}

/** Proof that this storage holds the device's key: its signature over a fresh challenge from the server. */
async function deviceProof(api: RchatApi, device: DeviceKeys): Promise<{ challenge: string; signature: string }> {
  const { challenge } = await api.loginChallenge();
  return { challenge, signature: toBase64(await signDeviceLogin(device, challenge)) };
}
