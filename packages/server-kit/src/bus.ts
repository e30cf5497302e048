import { readFileSync } from 'node:fs';
import {
  connect,
  nkeyAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from 'nats';
import type { Logger } from './logger.ts';

/**
 * Publish/subscribe of small JSON events between services. Delivery is
 * at-most-once (the stores are the source of truth; consumers repair gaps
 * from them). Subjects are dot-separated, e.g. `rchat.inbox.<userId>`.
 */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  publish(subject: string, event: unknown): void;
  subscribe(subject: string, handler: (event: unknown, subject: string) => void): BusSubscription;
  /** Resolves when everything published so far has left this process. */
  flush(): Promise<void>;
  /**
   * Calls `listener` each time the connection comes back after it was lost,
   * once this process's subscriptions are in place again. Events published
   * meanwhile may be gone, so a reader that relies on them reads the store
   * again. Returns a function that removes the listener.
   */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface BusSubscription {
  unsubscribe(): void;
}

/**
 * In-process bus for the single-process deployment. Events are delivered asynchronously, like NATS.
 */
export function createMemoryBus(): Bus {
  const handlers = new Map<string, Set<(event: unknown, subject: string) => void>>();
  return {
    kind: 'memory',
    publish(subject, event) {
      const set = handlers.get(subject);
      if (!set || set.size === 0) return;
      // Copy like a wire would, so publishers and subscribers never share objects.
      const text = JSON.stringify(event);
      queueMicrotask(() => {
        for (const handler of [...set]) handler(JSON.parse(text), subject);
      });
    },
    subscribe(subject, handler) {
      let set = handlers.get(subject);
      if (!set) handlers.set(subject, (set = new Set()));
      set.add(handler);
      return {
        unsubscribe() {
          set.delete(handler);
          if (set.size === 0) handlers.delete(subject);
        },
      };
    },
    flush: async () => {},
    // In-process: there is no connection to lose.
    onReconnect: () => () => {},
    close: async () => handlers.clear(),
  };
}

/** Where the bus is and how a process signs in to it (the NATS_* settings of every service). */
export interface BusSettings {
  NATS_URL?: string | undefined;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
  NATS_NKEY_SEED_FILE?: string | undefined;
}

/**
 * The connection options that carry a process's NATS credentials: a user and password, or an nkey
 * (the seed never leaves the process; NATS checks a signature).
 */
export function natsCredentials(
  settings: BusSettings,
): Pick<ConnectionOptions, 'user' | 'pass' | 'authenticator'> {
  if (settings.NATS_USER && settings.NATS_PASSWORD)
    return { user: settings.NATS_USER, pass: settings.NATS_PASSWORD };
  if (settings.NATS_NKEY_SEED_FILE) {
    const seed = readFileSync(settings.NATS_NKEY_SEED_FILE, 'utf8').trim();
    return { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) };
  }
  return {};
}

/** How the process signed in, for messages: never the secret itself. */
function describeCredentials(settings: BusSettings): string {
  if (settings.NATS_USER) return `as user "${settings.NATS_USER}" (NATS_USER/NATS_PASSWORD)`;
  if (settings.NATS_NKEY_SEED_FILE) return 'with the nkey in NATS_NKEY_SEED_FILE';
  return 'without credentials (set NATS_USER and NATS_PASSWORD, or NATS_NKEY_SEED_FILE)';
}

export async function createNatsBus(
  settings: BusSettings & { NATS_URL: string },
  name: string,
  logger: Logger,
): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: settings.NATS_URL,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      ...natsCredentials(settings),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Could not connect to NATS at ${settings.NATS_URL} ${describeCredentials(settings)}: ${reason}`,
      { cause: err },
    );
  }
  const link = new NatsLink(nc, logger);
  return {
    kind: 'nats',
    publish(subject, event) {
      link.publish(subject, JSON.stringify(event));
    },
    subscribe(subject, handler) {
      const sub: NatsSubscription = nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) {
            logger.warn({ err, subject }, 'NATS subscription error');
            return;
          }
          let event: unknown;
          try {
            event = msg.json();
          } catch (e) {
            logger.warn({ err: e, subject: msg.subject }, 'dropped a bus message that is not JSON');
            return;
          }
          handler(event, msg.subject);
        },
      });
      return { unsubscribe: () => sub.unsubscribe() };
    },
    flush: () => nc.flush(),
    onReconnect: (listener) => link.onReconnect(listener),
    close: async () => {
      await nc.drain();
    },
  };
}

export async function openBus(settings: BusSettings, name: string, logger: Logger): Promise<Bus> {
  return settings.NATS_URL
    ? createNatsBus({ ...settings, NATS_URL: settings.NATS_URL }, name, logger)
    : createMemoryBus();
}

/**
 * Bytes of events held while the connection is away; past it, later events are dropped (readers
 * repair from the store).
 */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

/**
 * Publishing over one NATS connection across its losses. nats.js discards
 * what it buffered when it redials, so events published while the connection
 * is away are held here (bounded) and sent once it is back; a reader that
 * reconnected sooner would otherwise have already read the store, and miss
 * them. Reconnect listeners run once the server has this connection's
 * subscriptions again.
 */
class NatsLink {
  private connected = true;
  private held: { subject: string; data: string }[] = [];
  private heldBytes = 0;
  private droppedWhileAway = 0;
  private readonly reconnectListeners = new Set<() => void>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
  ) {
    void this.watch();
  }

  publish(subject: string, data: string): void {
    if (!this.connected) {
      this.hold(subject, data);
      return;
    }
    // The store is the truth and the bus a hint: an event NATS refuses (larger than its
    // max_payload, or the
    // connection closing) is logged and dropped; subscribers repair the gap from the store.
    try {
      this.nc.publish(subject, data);
    } catch (err) {
      this.logger.warn(
        { err, subject },
        'NATS refused an event; readers will repair the gap from the store',
      );
    }
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  private hold(subject: string, data: string): void {
    if (this.heldBytes + data.length > MAX_HELD_BYTES) {
      if (this.droppedWhileAway++ === 0)
        this.logger.warn(
          { heldBytes: this.heldBytes },
          'NATS is away and the held events reached their bound; dropping more (readers repair from the store)',
        );
      return;
    }
    this.held.push({ subject, data });
    this.heldBytes += data.length;
  }

  private async watch(): Promise<void> {
    for await (const status of this.nc.status()) {
      // Attempts repeat every reconnectTimeWait while the server is away: only the changes are
      // worth a line.
      if (status.type === 'reconnecting' || status.type === 'pingTimer')
        this.logger.debug({ type: status.type }, 'NATS status');
      else this.logger.info({ type: status.type }, 'NATS status');
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') this.reconnected();
    }
  }

  private reconnected(): void {
    this.connected = true;
    const held = this.held;
    if (held.length > 0 || this.droppedWhileAway > 0)
      this.logger.info(
        { sent: held.length, dropped: this.droppedWhileAway },
        'NATS is back; sending the events held while it was away',
      );
    this.held = [];
    this.heldBytes = 0;
    this.droppedWhileAway = 0;
    for (const { subject, data } of held) this.publish(subject, data);
    // The subscriptions went out again with the reconnect; a round trip makes sure the server has
    // them.
    this.nc.flush().then(
      () => {
        for (const listener of this.reconnectListeners) listener();
      },
      (err: unknown) => this.logger.warn({ err }, 'NATS flush after reconnecting failed'),
    );
  }
}
