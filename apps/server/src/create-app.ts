import { readFileSync } from 'node:fs';
import {
  createHttpApp,
  openBus,
  openCallerAuth,
  openSharedDatabase,
  type HttpApp,
  type Logger,
} from '@rchat/server-kit';
import { createUsersService, loadUsersConfig, type UsersService } from '@rchat/users';
import {
  createChatService,
  loadChatConfig,
  localUserDirectory,
  type ChatService,
} from '@rchat/chat';
import { createDeliveryService, loadDeliveryConfig, type DeliveryService } from '@rchat/delivery';
import type { ServerConfig } from './config.ts';
import { registerWebClient } from './web-static.ts';

export interface ServerApp {
  app: HttpApp;
  users: UsersService;
  chat: ChatService;
  delivery: DeliveryService;
}

/**
 * The whole platform in one process: the three services share one HTTP app
 * (routes keep the path prefixes nginx routes by in scaled-out mode), an
 * bus, and in-process service-to-service calls. Does not listen.
 */
export async function createServerApp(
  config: Readonly<ServerConfig>,
  envVars: Record<string, string | undefined>,
  logger: Logger,
  options: { memory?: boolean; clock?: () => Date } = {},
): Promise<ServerApp> {
  const shared = { ...envVars, PORT: undefined, LOG_LEVEL: config.LOG_LEVEL };
  const usersConfig = loadUsersConfig(shared);
  const chatConfig = loadChatConfig(shared);
  const deliveryConfig = loadDeliveryConfig(shared);
  const memory = options.memory ?? false;

  // In-process bus by default; with NATS_URL several single-process servers can share PostgreSQL
  // and NATS.
  const bus = await openBus(usersConfig, 'rchat', logger);
  // Embedded, users and chat share one PGlite; with DATABASE_URL each has its own pool, as scaled
  // out.
  const database = await openSharedDatabase({
    url: usersConfig.DATABASE_URL,
    dataDir: usersConfig.DATA_DIR,
    memory,
    services: ['users', 'chat'],
    logger,
  });
  const users = await createUsersService(usersConfig, logger.child({ component: 'users' }), {
    bus,
    memory,
    database,
    clock: options.clock,
  });
  // One token verifier and one revocation tracker for the whole process, shared by the services.
  const auth = await openCallerAuth({
    bus,
    keySet: users.keySet,
    revocations: users.revocations,
    logger,
    minRefreshMs: 0,
  });
  const chat = await createChatService(chatConfig, logger.child({ component: 'chat' }), {
    bus,
    users: localUserDirectory(users.getUser),
    deletedAccounts: users.deletedAccounts,
    activeDevices: users.activeDevices,
    clock: options.clock,
    memory,
    database,
  });
  const delivery = await createDeliveryService(
    deliveryConfig,
    logger.child({ component: 'delivery' }),
    { bus, readInbox: chat.readInbox },
  );

  const app = createHttpApp({
    logger,
    readiness: { users: users.ready, chat: chat.ready },
    corsOrigins: usersConfig.CORS_ORIGINS,
    trustProxy: usersConfig.TRUST_PROXY,
    metricsToken: usersConfig.METRICS_TOKEN,
    maxRefusedBodyBytes: usersConfig.MAX_REFUSED_BODY_BYTES,
    ...(config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? {
          https: {
            cert: readFileSync(config.TLS_CERT_FILE),
            key: readFileSync(config.TLS_KEY_FILE),
          },
        }
      : {}),
  });
  const services = { auth, metrics: app.metrics };
  await app.register(users.plugin, services);
  await app.register(chat.plugin, services);
  await app.register(delivery.plugin, services);
  await registerWebClient(app, config.WEB_DIST_DIR, logger.child({ component: 'web' }));
  app.addHook('onClose', async () => {
    auth.close();
    await bus.close();
    await chat.close();
    await users.close();
    await database?.close();
  });
  return { app, users, chat, delivery };
}
