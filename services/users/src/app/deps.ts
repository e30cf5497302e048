import type { Db, Logger } from '@rchat/server-kit';
import type { PasswordHasher } from '../domain/password-hasher.ts';
import type { UsersConfig } from '../config.ts';
import type { SigningKeys } from './support/signing-keys.ts';

/** What the users use cases need. `db` is the typed query layer (PGlite or PostgreSQL). */
export interface UsersDeps {
  db: Db;
  hasher: PasswordHasher;
  keys: SigningKeys;
  config: Readonly<UsersConfig>;
  logger: Logger;
  now: () => Date;
}
