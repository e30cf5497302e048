import { createLogger, onShutdownSignal } from '@rchat/server-kit';
import { loadDeliveryConfig } from './config.ts';
import { createDeliveryApp } from './create-app.ts';

const config = loadDeliveryConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'delivery' });
const { app } = await createDeliveryApp(config, logger);
await app.listen({ host: config.HOST, port: config.PORT });
onShutdownSignal(async () => {
  app.shuttingDown.value = true;
  await app.close();
}, logger, config.SHUTDOWN_GRACE_MS);
