import rateLimit from '@fastify/rate-limit';
import { createHttpApp, openBus, type HttpApp, type Logger } from '@rchat/server-kit';
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
  const app = createHttpApp({
    logger,
    readiness: { database: service.ready },
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    metricsToken: config.METRICS_TOKEN,
    maxRefusedBodyBytes: config.MAX_REFUSED_BODY_BYTES,
  });
  await app.register(rateLimit, { global: false });
  service.register(app);
  app.addHook('onClose', async () => {
    await service.close();
    await bus.close();
  });
  return { app, service };
}
