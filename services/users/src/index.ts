export { createUsersService, type UsersService } from './create-service.ts';
export { createUsersApp } from './create-app.ts';
export { loadUsersConfig, usersConfigSchema, type UsersConfig } from './config.ts';
export { rateLimited } from './adapters/http/routes.ts';
