import { createLogger, serve } from '@rchat/server-kit';
import { loadChatConfig } from './config.ts';
import { createChatApp } from './create-app.ts';

const config = loadChatConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'chat' });
const { app } = await createChatApp(config, logger);
await serve(app, config, logger);
