import type { FastifyInstance } from 'fastify';
import { createTokenVerifier, type Bus, type KeySetSource, type Logger, type Metrics } from '@rchat/server-kit';
import type { DeliveryConfig } from './config.ts';
import type { InboxReader } from './app/inbox-reader.ts';
import { StreamRegistry } from './app/stream-registry.ts';
import { registerDeliveryRoutes } from './adapters/routes.ts';

export interface DeliveryService {
  register(app: FastifyInstance & { metrics: Metrics }): void;
  /** Ends all streams so clients reconnect to another instance. */
  drain(): void;
  readonly connections: number;
}

export function createDeliveryService(
  config: Readonly<DeliveryConfig>,
  logger: Logger,
  options: { bus: Bus; keySet: KeySetSource; readInbox: InboxReader },
): DeliveryService {
  const verifier = createTokenVerifier(options.keySet);
  let registry: StreamRegistry | null = null;
  return {
    register(app) {
      const gauge = app.metrics.gauge('rchat_delivery_streams', 'Open Server-Sent Events streams on this instance.');
      registry = new StreamRegistry(options.bus, logger, (n) => gauge.set(n));
      registerDeliveryRoutes(app, {
        verifier,
        registry,
        readInbox: options.readInbox,
        limits: { heartbeatMs: config.HEARTBEAT_MS, maxBufferedBytes: config.MAX_BUFFERED_BYTES, retryMs: config.RETRY_MS },
        logger,
        corsOrigins: config.CORS_ORIGINS,
      });
      app.addHook('preClose', async () => registry?.endAll('shutdown'));
    },
    drain: () => registry?.endAll('shutdown'),
    get connections() {
      return registry?.size ?? 0;
    },
  };
}
