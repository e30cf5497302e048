import type { SessionResponse } from '@rchat/protocol';
import { RchatApi } from '../api.ts';
import type { ClientStorage } from '../storage/storage.ts';

export interface RchatClientOptions {
  baseUrl: string;
  storage: ClientStorage;
  /** Shown in the account's device list. */
  deviceName?: string;
  fetch?: typeof fetch;
  /**
   * A request that takes longer fails with `TIMEOUT` (default 30 s); the event stream has its own
   * heartbeat timeout.
   */
  requestTimeoutMs?: number;
  /**
   * Refresh this device's MLS leaf keys in a conversation when it sends and the last refresh is
   * older (default 7 days).
   */
  keyRotationIntervalMs?: number;
}

export function newApi(
  options: RchatClientOptions,
  session: SessionResponse | undefined,
  onSession: (s: SessionResponse | null) => void,
): RchatApi {
  return new RchatApi({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(session ? { session } : {}),
    onSession,
  });
}

export function deviceNameOf(options: RchatClientOptions): string {
  if (options.deviceName) return options.deviceName;
  const nav = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  return nav?.userAgent ? 'Browser' : 'Device';
}
