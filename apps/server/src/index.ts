// What tests, scripts and the benchmark use of the single-process server
// (`npm start` runs main.ts, which listens; nothing here does).
export { createServerApp, type ServerApp } from './create-app.ts';
export { loadServerConfig, serverConfigSchema, type ServerConfig } from './config.ts';
export { contentSecurityPolicy } from './web-static.ts';
