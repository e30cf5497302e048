// as: services/users/test/__fixture__.ts
import { usersMigrations } from '../src/db/migrations.ts';

export const migrations = usersMigrations;
