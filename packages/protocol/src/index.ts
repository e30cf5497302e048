export * from './errors.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './policy.ts';
export * from './chat.ts';
export * from './events.ts';
export * from './routes.ts';
