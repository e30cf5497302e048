import {
  createHttpApp,
  openBus,
  openCallerAuth,
  type HttpApp,
  type Logger,
} from '@rchat/server-kit';
import type { UsersConfig } from './config.ts';
import { createUsersService, type UsersService } from './create-service.ts';

/** The users service as its own HTTP app (scaled-out mode); does not listen. */
export async function createUsersApp(
  config: Readonly<UsersConfig>,
  logger: Logger,
  options: { memory?: boolean } = {},
): Promise<{ app: HttpApp; service: UsersService }> {
  const bus = await openBus(config, 'users', logger);
  const service = await createUsersService(config, logger, { ...options, bus });
  // Token keys and revocations are this service's own: read in-process.
  const auth = await openCallerAuth({
    bus,
    keySet: service.keySet,
    revocations: service.revocations,
    logger,
    minRefreshMs: 0,
  });
  const app = createHttpApp({
    logger,
    readiness: { database: service.ready },
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    metricsToken: config.METRICS_TOKEN,
    maxRefusedBodyBytes: config.MAX_REFUSED_BODY_BYTES,
  });
  await app.register(service.plugin, { auth, metrics: app.metrics });
  app.addHook('onClose', async () => {
    auth.close();
    await service.close();
    await bus.close();
  });
  return { app, service };
}
