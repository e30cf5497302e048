import {
  deviceRevokedEventSchema,
  devicesRevokedSubject,
  type DeviceRevokedEvent,
  type RevocationReason,
} from '@rchat/protocol';
import type { Bus, BusSubscription } from './bus.ts';
import type { Logger } from './logger.ts';
import { readInternal } from './internal-read.ts';
import { RetryingTask } from './retrying-task.ts';

/** Recent revocations (still within their access tokens' lifetime), read at start. */
export type RevocationSource = () => Promise<DeviceRevokedEvent[]>;

export function remoteRevocationSource(usersUrl: string, internalToken: string): RevocationSource {
  return async () =>
    (await readInternal(usersUrl, 'GET /internal/revoked-devices', internalToken)).revoked;
}

/**
 * The devices removed recently, known to every service instance: loaded from
 * the users service at start (and again whenever the bus reconnects) and kept
 * current from the bus. Access tokens are
 * short-lived, so an entry is needed only until the device's last token expires.
 */
export class DeviceRevocations {
  private readonly until = new Map<string, { until: number; reason: RevocationReason }>();
  /**
   * Ended sessions (refresh-token families) of devices that stay: only that session's tokens are
   * refused.
   */
  private readonly sessionsUntil = new Map<string, number>();
  private readonly listeners = new Set<(e: DeviceRevokedEvent) => void>();
  private sub: BusSubscription | null = null;
  private stopWatchingBus: () => void = () => {};
  /**
   * Reads the recent revocations; while users cannot be reached (it may be starting too), tries
   * again with backoff.
   */
  private readonly loading = new RetryingTask(
    async () => {
      for (const e of (await this.source?.()) ?? []) this.add(e);
    },
    (err, retryInMs) =>
      this.logger.warn(
        { err, retryInMs },
        'could not load recent device revocations; relying on the bus, and trying again',
      ),
  );

  constructor(
    private readonly bus: Bus,
    private readonly source: RevocationSource | undefined,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.sub = this.bus.subscribe(devicesRevokedSubject, (event) => {
      const parsed = deviceRevokedEventSchema.safeParse(event);
      if (parsed.success) this.add(parsed.data);
    });
    // A revocation published while the bus was away is read from the users service instead.
    this.stopWatchingBus = this.bus.onReconnect(() => void this.loading.run());
    await this.loading.run();
  }

  /**
   * Records a revocation; listeners hear of it the first time only (a reload brings known ones
   * again).
   */
  add(e: DeviceRevokedEvent): void {
    if (e.until <= Date.now()) return;
    const known = e.sessionId ? this.sessionsUntil.has(e.sessionId) : this.until.has(e.deviceId);
    if (e.sessionId) this.sessionsUntil.set(e.sessionId, e.until);
    else this.until.set(e.deviceId, { until: e.until, reason: e.reason ?? 'device-removed' });
    if (!known) for (const l of this.listeners) l(e);
  }

  /**
   * False, or why the device's tokens are refused (for as long as one of them may be unexpired).
   */
  isRevoked = (deviceId: string): false | RevocationReason => {
    const entry = this.until.get(deviceId);
    if (entry === undefined) return false;
    if (entry.until > Date.now()) return entry.reason;
    this.until.delete(deviceId);
    return false;
  };

  isSessionEnded = (sessionId: string): boolean => stillListed(this.sessionsUntil, sessionId);

  onRevoked(listener: (e: DeviceRevokedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.loading.cancel();
    this.stopWatchingBus();
    this.sub?.unsubscribe();
  }
}

/** Publishes a revocation to every instance (and this one). */
export function publishRevocation(bus: Bus, event: DeviceRevokedEvent): void {
  bus.publish(devicesRevokedSubject, event);
}

/** True while `key`'s entry has not passed its time; an expired entry is dropped. */
function stillListed(until: Map<string, number>, key: string): boolean {
  const at = until.get(key);
  if (at === undefined) return false;
  if (at > Date.now()) return true;
  until.delete(key);
  return false;
}
