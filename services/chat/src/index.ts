export { createChatService, type ChatService } from './create-service.ts';
export { createChatApp } from './create-app.ts';
export { loadChatConfig, chatConfigSchema, type ChatConfig } from './config.ts';
export { localUserDirectory, httpUserDirectory } from './adapters/user-directory.ts';
export { remoteActiveDevices } from './adapters/active-devices.ts';
