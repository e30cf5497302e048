import type { RchatClientOptions } from '@rchat/sdk';
import type { ChatClient } from '../client/chat-client.ts';
import { Fence, stopClient } from './fence.ts';
import { tabUnavailable } from './tab-error.ts';
import type { HostedClient, HubRuntime, TabRole, Tabs } from './tabs.ts';

const LEASE_KEY = 'rchat-tab-lease';
const TAKEOVER_KEY = 'rchat-tab-takeover';
const RENEW_MS = 2_000;
const LEASE_MS = 6_000;
const TAKEOVER_TIMEOUT_MS = 30_000;

interface Lease {
  tab: string;
  until: number;
}

function readLease(): Lease | null {
  try {
    const lease = JSON.parse(localStorage.getItem(LEASE_KEY) ?? 'null') as Lease | null;
    return lease && lease.until > Date.now() ? lease : null;
  } catch {
    return null;
  }
}

/**
 * For browsers without Web Locks or BroadcastChannel: one tab at a time runs
 * the account, holding a lease in localStorage that it renews while it lives.
 * Another tab shows that the account is open elsewhere (it cannot work
 * through that tab); its Use here asks the holder to stop its client and
 * release the lease, then runs the account itself. A second client never runs.
 */
class SoloTab implements Tabs {
  readonly tabId = crypto.randomUUID();
  role: TabRole = 'elsewhere';
  openError: unknown = null;
  readonly ready: Promise<void>;
  private client: HostedClient | null = null;
  private fence: Fence | null = null;
  private clientOptions: RchatClientOptions | null = null;
  private renewer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly runtime: HubRuntime) {
    addEventListener('storage', (e) => {
      if (e.key === TAKEOVER_KEY && e.newValue && this.role === 'leader') void this.handOver();
      if (e.key === LEASE_KEY) this.notify();
    });
    addEventListener('pagehide', () => {
      if (this.role === 'leader' && readLease()?.tab === this.tabId)
        localStorage.removeItem(LEASE_KEY);
    });
    this.ready = readLease() ? Promise.resolve() : this.lead();
  }

  session(): ChatClient | null {
    return this.role === 'leader' ? this.client : null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async useHere(): Promise<void> {
    if (this.role === 'leader') return;
    localStorage.setItem(TAKEOVER_KEY, JSON.stringify({ tab: this.tabId, at: Date.now() }));
    const deadline = Date.now() + TAKEOVER_TIMEOUT_MS;
    while (readLease()) {
      if (Date.now() > deadline) throw tabUnavailable();
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.lead();
  }

  async signIn(run: (o: RchatClientOptions) => Promise<HostedClient>): Promise<ChatClient> {
    const options = await this.leaderOptions();
    await this.client?.close().catch(() => undefined);
    this.client = await run(options);
    return this.client;
  }

  async leaderOptions(): Promise<RchatClientOptions> {
    await this.useHere();
    if (!this.clientOptions) throw tabUnavailable();
    return this.clientOptions;
  }

  adoptClient(client: HostedClient): ChatClient {
    this.client = client;
    return client;
  }

  private async lead(): Promise<void> {
    const renew = () =>
      localStorage.setItem(
        LEASE_KEY,
        JSON.stringify({ tab: this.tabId, until: Date.now() + LEASE_MS } satisfies Lease),
      );
    renew();
    this.renewer = setInterval(renew, RENEW_MS);
    this.role = 'leader';
    this.fence = new Fence();
    try {
      this.clientOptions = await this.runtime.options(this.fence);
      this.client = await this.runtime.restore(this.clientOptions);
    } catch (e) {
      this.openError = e;
    }
    this.notify();
  }

  private async handOver(): Promise<void> {
    clearInterval(this.renewer);
    this.role = 'elsewhere';
    this.notify();
    await stopClient(this.client, this.fence, []);
    this.client = null;
    this.clientOptions = null;
    localStorage.removeItem(LEASE_KEY);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export function openSoloTab(runtime: HubRuntime): SoloTab {
  return new SoloTab(runtime);
}
