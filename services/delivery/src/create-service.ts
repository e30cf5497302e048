import type { FastifyInstance } from 'fastify';
import {
  createTokenVerifier,
  DeviceRevocations,
  type Bus,
  type KeySetSource,
  type Logger,
  type Metrics,
  type RevocationSource,
} from '@rchat/server-kit';
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

export async function createDeliveryService(
  config: Readonly<DeliveryConfig>,
  logger: Logger,
  options: {
    bus: Bus;
    keySet: KeySetSource;
    readInbox: InboxReader;
    revocations: RevocationSource;
  },
): Promise<DeliveryService> {
  const revoked = new DeviceRevocations(options.bus, options.revocations, logger);
  await revoked.start();
  const verifier = createTokenVerifier(options.keySet, {
    isRevoked: revoked.isRevoked,
    isSessionEnded: revoked.isSessionEnded,
  });
  let registry: StreamRegistry | null = null;
  // A removed device loses its streams at once, on every instance.
  // A removed device's streams end for good; a signed-out session's end, and the device may sign in again.
  revoked.onRevoked((e) =>
    registry?.endDevice(e.deviceId, e.sessionId ? 'signed-out' : (e.reason ?? 'device-removed')),
  );
  return {
    register(app) {
      const gauge = app.metrics.gauge(
        'rchat_delivery_streams',
        'Open Server-Sent Events streams on this instance.',
      );
      registry = new StreamRegistry(options.bus, logger, (n) => gauge.set(n));
      registerDeliveryRoutes(app, {
        verifier,
        registry,
        readInbox: options.readInbox,
        limits: {
          heartbeatMs: config.HEARTBEAT_MS,
          maxBufferedBytes: config.MAX_BUFFERED_BYTES,
          maxPendingBytes: config.MAX_PENDING_BYTES,
          retryMs: config.RETRY_MS,
        },
        maxStreamsPerUser: config.MAX_STREAMS_PER_USER,
        logger,
        corsOrigins: config.CORS_ORIGINS,
      });
      app.addHook('preClose', async () => {
        revoked.close();
        registry?.endAll('shutdown');
      });
    },
    drain: () => registry?.endAll('shutdown'),
    get connections() {
      return registry?.size ?? 0;
    },
  };
}
