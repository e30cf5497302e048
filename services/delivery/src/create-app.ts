import {
  createHttpApp,
  openBus,
  openCallerAuth,
  remoteKeySet,
  remoteRevocationSource,
  type HttpApp,
  type Logger,
} from '@rchat/server-kit';
import type { DeliveryConfig } from './config.ts';
import { createDeliveryService, type DeliveryService } from './create-service.ts';
import { httpInboxReader } from './adapters/http-inbox-reader.ts';

/**
 * Resolves when something answers at `base` without a server error (a proxy in front may 404 the
 * probe path; a 502 means the service behind it is down).
 */
async function ping(base: string | undefined): Promise<void> {
  if (!base) throw new Error('not configured');
  const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(2_000) });
  await res.body?.cancel();
  if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
}

/** The delivery service as its own HTTP app (scaled-out mode); does not listen. */
export async function createDeliveryApp(
  config: Readonly<DeliveryConfig>,
  logger: Logger,
): Promise<{ app: HttpApp; service: DeliveryService }> {
  if (!config.USERS_URL || !config.CHAT_URL || !config.INTERNAL_TOKEN) {
    throw new Error(
      'USERS_URL, CHAT_URL and INTERNAL_TOKEN are required when the delivery service runs on its own.',
    );
  }
  if (!config.NATS_URL)
    logger.warn(
      'NATS_URL is not set: only messages sent through this process reach its streams live.',
    );
  const bus = await openBus(config, 'delivery', logger);
  const auth = await openCallerAuth({
    bus,
    keySet: remoteKeySet(config.USERS_URL),
    revocations: remoteRevocationSource(config.USERS_URL, config.INTERNAL_TOKEN),
    logger,
  });
  const service = await createDeliveryService(config, logger, {
    bus,
    readInbox: httpInboxReader(config.CHAT_URL, config.INTERNAL_TOKEN),
  });
  const app = createHttpApp({
    logger,
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    metricsToken: config.METRICS_TOKEN,
    maxRefusedBodyBytes: config.MAX_REFUSED_BODY_BYTES,
    readiness: {
      bus: () => bus.flush(),
      users: () => ping(config.USERS_URL),
      chat: () => ping(config.CHAT_URL),
    },
  });
  await app.register(service.plugin, { auth, metrics: app.metrics });
  app.addHook('onClose', async () => {
    auth.close();
    await bus.close();
  });
  return { app, service };
}
