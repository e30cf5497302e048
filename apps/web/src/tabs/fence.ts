import type { ClientStorage } from '@rchat/sdk';
import type { HostedClient } from './tabs.ts';

/**
 * What a leader tab's client reaches the network and the storage through. A
 * tab that hands the account to another tab closes its fence: nothing of its
 * old client (a late token refresh, a background write) can then rotate the
 * session's refresh token or overwrite the new leader's state.
 */
export class Fence {
  private network = true;
  private writes = true;
  private readonly writing = new Set<Promise<unknown>>();

  readonly fetch: typeof fetch = (input, init) =>
    this.network
      ? globalThis.fetch(input, init)
      : Promise.reject(new TypeError('This tab handed the account to another tab.'));

  storage(inner: ClientStorage): ClientStorage {
    return {
      get: (key) => inner.get(key),
      list: (prefix) => inner.list(prefix),
      storageKey: () => inner.storageKey(),
      put: (key, value) => this.write(() => inner.put(key, value)),
      delete: (key) => this.write(() => inner.delete(key)),
    };
  }

  /** No more requests (those under way finish). */
  closeNetwork(): void {
    this.network = false;
  }

  /** No more writes; resolves when the ones under way are stored. */
  async closeWrites(): Promise<void> {
    this.writes = false;
    await Promise.allSettled([...this.writing]);
  }

  private write(op: () => Promise<void>): Promise<void> {
    if (!this.writes)
      return Promise.reject(new Error('This tab handed the account to another tab.'));
    const pending = op();
    this.writing.add(pending);
    void pending.finally(() => this.writing.delete(pending)).catch(() => undefined);
    return pending;
  }
}

/**
 * Stops a leader's client so that nothing of it runs on: no stream, the calls
 * under way finished, the backup written, the latest tokens stored, and then
 * neither network nor writes through its fence.
 */
export async function stopClient(
  client: HostedClient | null,
  fence: Fence | null,
  running: Iterable<Promise<unknown>>,
): Promise<void> {
  client?.stop();
  await Promise.allSettled([...running]);
  await client?.close().catch(() => undefined);
  fence?.closeNetwork();
  await client?.close().catch(() => undefined); // a token refresh that started meanwhile has stored its tokens
  await fence?.closeWrites();
}
