import { createLogger, onShutdownSignal } from '@rchat/server-kit';
import { loadChatConfig } from './config.ts';
import { createChatApp } from './create-app.ts';

const config = loadChatConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'chat' });
const { app } = await createChatApp(config, logger);
await app.listen({ host: config.HOST, port: config.PORT });
onShutdownSignal(async () => {
  app.shuttingDown.value = true;
  await app.close();
}, logger, config.SHUTDOWN_GRACE_MS);
