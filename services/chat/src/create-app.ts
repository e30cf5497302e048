import {
  createHttpApp,
  openBus,
  openCallerAuth,
  remoteDeletedAccountsSource,
  remoteKeySet,
  remoteRevocationSource,
  type HttpApp,
  type Logger,
} from '@rchat/server-kit';
import type { ChatConfig } from './config.ts';
import { createChatService, type ChatService } from './create-service.ts';
import { httpUserDirectory } from './adapters/user-directory.ts';
import { remoteActiveDevices } from './adapters/active-devices.ts';

/** The chat service as its own HTTP app (scaled-out mode); does not listen. */
export async function createChatApp(
  config: Readonly<ChatConfig>,
  logger: Logger,
): Promise<{ app: HttpApp; service: ChatService }> {
  if (!config.USERS_URL)
    throw new Error('USERS_URL is required when the chat service runs on its own.');
  const bus = await openBus(config, 'chat', logger);
  const service = await createChatService(config, logger, {
    bus,
    users: httpUserDirectory(config.USERS_URL),
    deletedAccounts: config.INTERNAL_TOKEN
      ? remoteDeletedAccountsSource(config.USERS_URL, config.INTERNAL_TOKEN)
      : undefined,
    activeDevices: config.INTERNAL_TOKEN
      ? remoteActiveDevices(config.USERS_URL, config.INTERNAL_TOKEN)
      : undefined,
  });
  const auth = await openCallerAuth({
    bus,
    keySet: remoteKeySet(config.USERS_URL),
    revocations: config.INTERNAL_TOKEN
      ? remoteRevocationSource(config.USERS_URL, config.INTERNAL_TOKEN)
      : async () => [],
    logger,
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
    await bus.close();
    await service.close();
  });
  return { app, service };
}
