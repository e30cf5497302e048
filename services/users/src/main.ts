import { createLogger, serve } from '@rchat/server-kit';
import { loadUsersConfig } from './config.ts';
import { createUsersApp } from './create-app.ts';

const config = loadUsersConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'users' });
const { app } = await createUsersApp(config, logger);
await serve(app, config, logger);
