import { routesOf } from '@rchat/protocol';
import { bindRoutes, type Bus, type Logger, type ServicePlugin } from '@rchat/server-kit';
import type { DeliveryConfig } from './config.ts';
import type { InboxReader } from './app/inbox-reader.ts';
import { StreamRegistry } from './app/stream-registry.ts';
import { deliveryHandlers } from './adapters/routes.ts';

export interface DeliveryService {
  /**
   * The service's route and hooks as an encapsulated Fastify plugin (register it with an optional
   * prefix).
   */
  plugin: ServicePlugin;
  /** Ends all streams so clients reconnect to another instance. */
  drain(): void;
  readonly connections: number;
}

export async function createDeliveryService(
  config: Readonly<DeliveryConfig>,
  logger: Logger,
  options: {
    bus: Bus;
    readInbox: InboxReader;
  },
): Promise<DeliveryService> {
  let registry: StreamRegistry | null = null;
  return {
    plugin: async (app, { auth, metrics }) => {
      const gauge = metrics.gauge(
        'rchat_delivery_streams',
        'Open Server-Sent Events streams on this instance.',
      );
      const streams = new StreamRegistry(options.bus, logger, (n) => gauge.set(n));
      registry = streams;
      // A removed device's streams end for good; a signed-out session's end, and the device may
      // sign in again.
      const stopHearing = auth.revocations.onRevoked((e) =>
        streams.endDevice(e.deviceId, e.sessionId ? 'signed-out' : (e.reason ?? 'device-removed')),
      );
      bindRoutes(
        app,
        routesOf('delivery'),
        deliveryHandlers({
          registry: streams,
          readInbox: options.readInbox,
          limits: {
            heartbeatMs: config.HEARTBEAT_MS,
            maxBufferedBytes: config.MAX_BUFFERED_BYTES,
            maxPendingBytes: config.MAX_PENDING_BYTES,
            retryMs: config.RETRY_MS,
          },
          maxStreamsPerUser: config.MAX_STREAMS_PER_USER,
          logger,
        }),
        {
          auth,
          internalToken: config.INTERNAL_TOKEN,
          responseValidation: config.RESPONSE_VALIDATION,
        },
      );
      app.addHook('preClose', async () => {
        stopHearing();
        streams.endAll('shutdown');
      });
    },
    drain: () => registry?.endAll('shutdown'),
    get connections() {
      return registry?.size ?? 0;
    },
  };
}
