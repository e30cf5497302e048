export { createUsersService, type UsersService } from './create-service.ts';
export { createUsersApp } from './create-app.ts';
export { loadUsersConfig, usersConfigSchema, type UsersConfig } from './config.ts';
