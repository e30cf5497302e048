export { createUsersService, type UsersService } from './create-service.ts';
export { createUsersApp } from './create-app.ts';
export { loadUsersConfig, usersConfigSchema, type UsersConfig } from './config.ts';
export { createArgon2Hasher, type Argon2Params } from './adapters/argon2-hasher.ts';
