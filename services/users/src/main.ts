import { createLogger, onShutdownSignal } from '@rchat/server-kit';
import { loadUsersConfig } from './config.ts';
import { createUsersApp } from './create-app.ts';

const config = loadUsersConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'users' });
const { app } = await createUsersApp(config, logger);
await app.listen({ host: config.HOST, port: config.PORT });
onShutdownSignal(async () => {
  app.shuttingDown.value = true;
  await app.close();
}, logger, config.SHUTDOWN_GRACE_MS);
