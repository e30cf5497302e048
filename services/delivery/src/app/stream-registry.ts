import { inboxAppendedEventSchema, inboxSubject } from '@rchat/protocol';
import type { Bus, BusSubscription, Logger } from '@rchat/server-kit';
import type { DeviceStream } from './device-stream.ts';

/**
 * The streams connected to this instance, by user. The instance subscribes to
 * a user's bus subject while at least one of that user's devices is here, so
 * fan-out crosses instances through the bus and nowhere else.
 */
export class StreamRegistry {
  private readonly byUser = new Map<string, { sub: BusSubscription; streams: Set<DeviceStream> }>();
  /**
   * Set by `endAll`: the instance is shutting down, and a stream that finishes connecting after
   * that is ended at once.
   */
  private closedFor: string | null = null;
  private readonly stopWatchingBus: () => void;

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly onCount: (n: number) => void = () => {},
  ) {
    // Events published while the bus was away are lost: every stream reads what it missed from the
    // store.
    this.stopWatchingBus = bus.onReconnect(() => {
      this.logger.info(
        { streams: this.size },
        'bus reconnected; streams read what they missed from the store',
      );
      for (const { streams } of this.byUser.values()) for (const s of streams) s.resync();
    });
  }

  add(stream: DeviceStream): void {
    if (this.closedFor !== null) {
      // Its request was still being authenticated when the shutdown began: it must not keep the
      // server open.
      stream.end(this.closedFor);
      return;
    }
    let entry = this.byUser.get(stream.userId);
    if (!entry) {
      const streams = new Set<DeviceStream>();
      const sub = this.bus.subscribe(inboxSubject(stream.userId), (event) => {
        const parsed = inboxAppendedEventSchema.safeParse(event);
        if (!parsed.success) {
          this.logger.warn(
            { subject: inboxSubject(stream.userId) },
            'ignored a malformed inbox event',
          );
          return;
        }
        for (const s of streams) s.push(parsed.data.entry);
      });
      entry = { sub, streams };
      this.byUser.set(stream.userId, entry);
    }
    entry.streams.add(stream);
    this.onCount(this.size);
  }

  remove(stream: DeviceStream): void {
    const entry = this.byUser.get(stream.userId);
    if (!entry) return;
    entry.streams.delete(stream);
    if (entry.streams.size === 0) {
      entry.sub.unsubscribe();
      this.byUser.delete(stream.userId);
    }
    this.onCount(this.size);
  }

  /** Streams of one user on this instance. */
  countOf(userId: string): number {
    return this.byUser.get(userId)?.streams.size ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const e of this.byUser.values()) n += e.streams.size;
    return n;
  }

  /** Ends the streams of one device (it was removed). */
  endDevice(deviceId: string, reason: string): void {
    for (const { streams } of [...this.byUser.values()])
      for (const s of [...streams]) if (s.deviceId === deviceId) s.end(reason);
  }

  /**
   * Ends every stream, and any that connects later (shutdown): clients reconnect elsewhere and
   * resume.
   */
  endAll(reason: string): void {
    this.closedFor = reason;
    this.stopWatchingBus();
    for (const { streams } of [...this.byUser.values()])
      for (const s of [...streams]) s.end(reason);
  }
}
