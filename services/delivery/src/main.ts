import { createLogger, serve } from '@rchat/server-kit';
import { loadDeliveryConfig } from './config.ts';
import { createDeliveryApp } from './create-app.ts';

const config = loadDeliveryConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'delivery' });
const { app } = await createDeliveryApp(config, logger);
await serve(app, config, logger);
