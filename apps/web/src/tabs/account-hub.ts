import type { RchatClientOptions } from '@rchat/sdk';
import type { ChatClient, ClientEvents, ExistingDeviceLink } from '../client/chat-client.ts';
import { CallRouter } from './call-router.ts';
import { EventRelay } from './event-relay.ts';
import { Fence, stopClient } from './fence.ts';
import { HEIR_LOCK_NAME, LeaderLock } from './leader-lock.ts';
import { leaderOnly, tabUnavailable } from './tab-error.ts';
import { tabClient, type ClientHost } from './tab-client.ts';
import {
  clientEventNames,
  toWireError,
  type AccountSummary,
  type ConnectionStatus,
  type TabMessage,
} from './tab-messages.ts';
import type { HostedClient, HubRuntime, TabRole, Tabs } from './tabs.ts';

/** How long "Use here" waits for the leader tab to hand over. */
const HANDOVER_TIMEOUT_MS = 30_000;
/**
 * A tab that passes the lock on to the heir waits this long before it queues again (no busy loop
 * while the heir is on its way).
 */
const REQUEUE_DELAY_MS = 100;

type Phase = 'starting' | 'opening' | 'leader' | 'handing-over' | 'follower';

const signedOut = () =>
  Object.assign(new Error('You are signed out in this browser. Log in again.'), {
    code: 'UNAUTHENTICATED',
  });

/**
 * The account of this browser profile, shared by its tabs. One tab, the leader
 * (it holds the Web Lock), runs the SDK client over the shared IndexedDB; the
 * others send it their calls over a BroadcastChannel and show its events.
 * When the leader tab closes or reloads, the next tab in line takes the lock and
 * restores the client from storage; "Use here" moves it on purpose.
 */
export class AccountHub implements Tabs, ClientHost {
  readonly tabId = crypto.randomUUID();
  private phase: Phase = 'starting';
  private leaderId: string | null = null;
  private account: AccountSummary | null = null;
  private client: ChatClient | null = null;
  private status: ConnectionStatus | null = null;
  private local: HostedClient | null = null;
  private fence: Fence | null = null;
  private clientOptions: RchatClientOptions | null = null;
  private offEvents: (() => void) | null = null;
  /**
   * While signing out: the stream's end is expected, not a reason to show "session ended" in every
   * tab.
   */
  private quietClose = false;
  /** Some tab's page wants the live stream: a new leader starts it. */
  private streamWanted = false;
  private heir = false;
  private handoverAsked: string | null = null;
  private readonly running = new Set<Promise<unknown>>();
  private readonly relay = new EventRelay();
  private readonly router: CallRouter;
  private readonly listeners = new Set<() => void>();
  private readonly lock: LeaderLock;
  private readonly ledListeners = new Set<() => void>();
  private readyResolve: () => void = () => undefined;
  /**
   * Resolves once this tab knows whether the account is signed in (it leads and restored it, or the
   * leader told it).
   */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  /** Why restoring from storage failed, if it did. */
  openError: unknown = null;

  constructor(
    private readonly channel: BroadcastChannel,
    private readonly locks: LockManager,
    private readonly runtime: HubRuntime,
  ) {
    this.router = new CallRouter(
      (to, id, method, args) => this.post({ kind: 'call', from: this.tabId, to, id, method, args }),
      (method, args) => this.run(method, args, false),
    );
    this.lock = new LeaderLock(locks, () => void this.acquired());
    channel.onmessage = (e: MessageEvent<TabMessage>) => this.receive(e.data);
    this.lock.queue();
    this.post({ kind: 'hello', from: this.tabId });
  }

  get role(): TabRole {
    return this.phase === 'leader' || this.phase === 'opening' ? 'leader' : 'follower';
  }

  session(): ChatClient | null {
    return this.client;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs a sign-in (login, register, restore, link) in this tab, after moving the account here; the
   * client it makes becomes the account's.
   */
  async signIn(options: (o: RchatClientOptions) => Promise<HostedClient>): Promise<ChatClient> {
    await this.useHere();
    const client = await this.track(async () => {
      if (!this.clientOptions) throw tabUnavailable();
      return options(this.clientOptions);
    });
    await this.local?.close().catch(() => undefined);
    this.adopt(client, true);
    return this.client as ChatClient;
  }

  /**
   * Client options of this tab's term as leader (after `useHere()`), for sign-ins that hand out the
   * client later (linking).
   */
  async leaderOptions(): Promise<RchatClientOptions> {
    await this.useHere();
    if (!this.clientOptions) throw tabUnavailable();
    return this.clientOptions;
  }

  /** A client made in this tab (a linked device's) becomes the account's. */
  adoptClient(client: HostedClient): ChatClient {
    this.adopt(client, true);
    return this.client as ChatClient;
  }

  async useHere(): Promise<void> {
    if (this.role === 'leader') return;
    await this.locks.request(HEIR_LOCK_NAME, async () => {
      if (this.role === 'leader') return;
      this.heir = true;
      try {
        const led = new Promise<void>((resolve) => this.ledListeners.add(resolve));
        if (this.leaderId && this.leaderId !== this.tabId)
          this.post({ kind: 'handover', from: this.tabId, to: this.leaderId });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(tabUnavailable()), HANDOVER_TIMEOUT_MS)),
        );
        await Promise.race([led, late]).finally(() => clearTimeout(timer));
      } finally {
        this.heir = false;
      }
    });
  }

  // ClientHost: what the account's client object asks of this tab.

  call(method: string, args: unknown[]): Promise<unknown> {
    return this.router.call(method, args);
  }

  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    return this.relay.on(event, handler);
  }

  async start(): Promise<void> {
    this.streamWanted = true;
    await this.call('start', []);
    // A page that opens while the leader's stream is already up hears no new status: tell it the
    // current one.
    if (this.status) this.relay.emit('status', [this.status]);
  }

  takeRecoveryKey(): string | null {
    return this.phase === 'leader' && this.local ? this.local.takeRecoveryKey() : null;
  }

  linkDevice(code: string): Promise<ExistingDeviceLink> {
    if (this.phase !== 'leader' || !this.local)
      return Promise.reject(leaderOnly('Linking a device'));
    return this.local.linkDevice(code);
  }

  // Becoming and stopping being the leader.

  private async acquired(): Promise<void> {
    if (!this.heir) {
      // Another tab is moving the account to itself: let it have the lock.
      const { held = [] } = await this.locks.query();
      if (held.some((l) => l.name === HEIR_LOCK_NAME)) {
        this.lock.release();
        setTimeout(() => this.lock.queue(), REQUEUE_DELAY_MS);
        return;
      }
    }
    await this.lead();
  }

  private async lead(): Promise<void> {
    this.phase = 'opening';
    this.leaderId = this.tabId;
    this.router.setTarget({ kind: 'none' });
    const fence = new Fence();
    this.fence = fence;
    let client: HostedClient | null = null;
    try {
      this.clientOptions = await this.runtime.options(fence);
      client = await this.runtime.restore(this.clientOptions);
    } catch (e) {
      this.openError = e;
    }
    this.phase = 'leader';
    this.adopt(client);
    this.router.setTarget({ kind: 'local' });
    if (client && this.streamWanted) void this.run('start', [], false).catch(() => undefined);
    this.readyResolve();
    for (const resolve of this.ledListeners) resolve();
    this.ledListeners.clear();
    this.notify();
    const asked = this.handoverAsked;
    this.handoverAsked = null;
    if (asked) await this.handOver(asked);
  }

  /**
   * Another tab asked for the account: stop the client so that nothing of it writes or refreshes
   * any more, then let the lock go.
   */
  private async handOver(to: string): Promise<void> {
    if (this.phase === 'opening') this.handoverAsked = to;
    if (this.phase !== 'leader') return;
    this.phase = 'handing-over';
    this.router.setTarget({ kind: 'none' });
    this.notify();
    this.offEvents?.();
    this.offEvents = null;
    await stopClient(this.local, this.fence, this.running);
    this.local = null;
    this.clientOptions = null;
    this.phase = 'follower';
    this.leaderId = null;
    this.lock.release();
    this.lock.queue();
    this.notify();
  }

  // Serving calls (leader).

  private run(method: string, args: unknown[], remote: boolean): Promise<unknown> {
    return this.track(() => this.invoke(method, args, remote));
  }

  private track<T>(op: () => Promise<T>): Promise<T> {
    const pending = op();
    this.running.add(pending);
    void pending.finally(() => this.running.delete(pending)).catch(() => undefined);
    return pending;
  }

  private async invoke(method: string, args: unknown[], remote: boolean): Promise<unknown> {
    const client = this.local;
    if (!client) throw signedOut();
    if (method === 'start') {
      this.streamWanted = true;
      return client.start();
    }
    if (method === 'stop') return undefined;
    if (method === 'takeRecoveryKey' && remote) return null;
    if (method === 'linkDevice' && remote) throw leaderOnly('Linking a device');
    if (!this.runtime.methods.includes(method))
      throw new TypeError(`${method} is not a method of the client.`);
    const fn = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[method] as (
      ...a: unknown[]
    ) => unknown;
    if (method !== 'logout' && method !== 'deleteAccount') return fn.apply(client, args);
    // Signing out (or deleting the account) ends the session in every tab.
    this.quietClose = true;
    try {
      const result = await fn.apply(client, args);
      this.adopt(null);
      return result;
    } catch (e) {
      if (method === 'logout') this.adopt(null);
      throw e;
    } finally {
      this.quietClose = false;
    }
  }

  private serve(msg: Extract<TabMessage, { kind: 'call' }>): void {
    const reply = { from: this.tabId, to: msg.from, id: msg.id };
    if (this.phase !== 'leader') return this.post({ kind: 'moved', ...reply });
    this.post({ kind: 'ack', ...reply });
    this.run(msg.method, msg.args, true).then(
      (value) => this.post({ kind: 'result', ...reply, ok: true, value }),
      (error: unknown) =>
        this.post({ kind: 'result', ...reply, ok: false, error: toWireError(error) }),
    );
  }

  /**
   * The client this tab now runs (or none): its events go to this tab's UI and to the other tabs.
   * `quiet`: this tab's page signed in and moves on by itself (after showing the recovery key,
   * say).
   */
  private adopt(client: HostedClient | null, quiet = false): void {
    this.offEvents?.();
    this.offEvents = null;
    this.local = client;
    this.status = null;
    if (client) {
      const offs = clientEventNames.map((name) =>
        client.on(name, ((...args: unknown[]) => {
          if (name === 'status') {
            if (args[0] === 'closed' && this.quietClose) return;
            this.status = args[0] as ConnectionStatus;
          }
          this.relay.emit(name, args);
          this.post({ kind: 'event', from: this.tabId, name, args });
        }) as ClientEvents[typeof name]),
      );
      this.offEvents = () => offs.forEach((off) => off());
    }
    this.setAccount(
      client
        ? {
            userId: client.userId,
            username: client.username,
            deviceId: client.deviceId,
            backupWarnings: [...client.backupWarnings],
          }
        : null,
      quiet,
    );
    this.postState();
  }

  private postState(): void {
    if (this.phase === 'leader')
      this.post({ kind: 'state', from: this.tabId, account: this.account, status: this.status });
  }

  // Following.

  private receive(msg: TabMessage): void {
    if ('to' in msg && msg.to !== this.tabId) return;
    switch (msg.kind) {
      case 'hello':
        return this.postState();
      case 'state':
        return this.onState(msg);
      case 'call':
        return this.serve(msg);
      case 'ack':
        return this.router.onAck(msg.id);
      case 'moved':
        return this.router.onMoved(msg.id);
      case 'result':
        return this.router.onResult(msg.id, msg);
      case 'event':
        if (msg.from !== this.leaderId || this.phase !== 'follower') return;
        if (msg.name === 'status') this.status = msg.args[0] as ConnectionStatus;
        return this.relay.emit(msg.name, msg.args);
      case 'handover':
        return void this.handOver(msg.from);
    }
  }

  private onState(msg: Extract<TabMessage, { kind: 'state' }>): void {
    if (this.phase === 'leader' || this.phase === 'opening') return; // from a tab that no longer leads
    if (this.phase === 'starting') this.phase = 'follower';
    this.leaderId = msg.from;
    this.status = msg.status;
    if (msg.status) this.streamWanted = true;
    this.setAccount(msg.account);
    if (this.phase === 'follower') this.router.setTarget({ kind: 'remote', leaderId: msg.from });
    this.readyResolve();
    this.notify();
  }

  private setAccount(summary: AccountSummary | null, quiet = false): void {
    const same =
      summary &&
      this.account &&
      summary.userId === this.account.userId &&
      summary.deviceId === this.account.deviceId;
    this.account = summary;
    if (same) return;
    this.client = summary ? tabClient(this, summary, this.runtime.methods) : null;
    if (!summary) this.streamWanted = false;
    if (!quiet) this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private post(msg: TabMessage): void {
    try {
      this.channel.postMessage(msg);
    } catch (e) {
      // Something that cannot be copied to another tab (a result with functions in it): say so
      // instead.
      if (msg.kind === 'result')
        this.channel.postMessage({ ...msg, ok: false, error: toWireError(e) } satisfies TabMessage);
    }
  }
}
