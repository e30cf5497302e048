import { createLogger, onShutdownSignal } from '@rchat/server-kit';
import { loadServerConfig } from './config.ts';
import { createServerApp } from './create-app.ts';

const started = performance.now();
const config = loadServerConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'rchat' });
const { app } = await createServerApp(config, process.env, logger);
const address = await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ address, startupMs: Math.round(performance.now() - started) }, `rchat is serving at ${address.replace('0.0.0.0', 'localhost')}`);
onShutdownSignal(async () => {
  app.shuttingDown.value = true;
  await app.close();
}, logger, config.SHUTDOWN_GRACE_MS);
