import { connect, type NatsConnection, type Subscription as NatsSubscription } from 'nats';
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
  close(): Promise<void>;
}

export interface BusSubscription {
  unsubscribe(): void;
}

/** In-process bus for the single-process deployment. Events are delivered asynchronously, like NATS. */
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
    close: async () => handlers.clear(),
  };
}

export async function createNatsBus(url: string, name: string, logger: Logger): Promise<Bus> {
  const nc: NatsConnection = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  void (async () => {
    for await (const status of nc.status()) logger.info({ type: status.type }, 'NATS status');
  })();
  return {
    kind: 'nats',
    publish(subject, event) {
      nc.publish(subject, JSON.stringify(event));
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
    close: async () => {
      await nc.drain();
    },
  };
}

export async function openBus(url: string | undefined, name: string, logger: Logger): Promise<Bus> {
  return url ? createNatsBus(url, name, logger) : createMemoryBus();
}
