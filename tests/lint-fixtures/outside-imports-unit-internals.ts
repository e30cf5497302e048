// as: tests/integration/__fixture__.ts
import { createServerApp } from '../../apps/server/src/create-app.ts';

export const create = createServerApp;
