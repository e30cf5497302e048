import { createLogger, serve } from '@rchat/server-kit';
import { loadServerConfig } from './config.ts';
import { createServerApp } from './create-app.ts';

const started = performance.now();
const config = loadServerConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'rchat' });
const { app } = await createServerApp(config, process.env, logger);
const address = await serve(app, config, logger);
logger.info(
  { address, startupMs: Math.round(performance.now() - started) },
  `rchat is serving at ${address.replace('0.0.0.0', 'localhost')}`,
);
