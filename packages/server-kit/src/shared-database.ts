import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from './database.ts';
import type { Logger } from './logger.ts';

/** Folder under DATA_DIR of the PGlite database the single-process server's services share. */
export const sharedDatabaseName = 'shared';

export interface SharedDatabaseOptions {
  /** DATABASE_URL: PostgreSQL, where each service keeps its own pool as when scaled out. */
  url?: string | undefined;
  dataDir: string;
  memory: boolean;
  /** Services whose own PGlite folders (`DATA_DIR/<service>`) an earlier version made. */
  services: readonly string[];
  logger?: Logger;
}

/**
 * One embedded database for all services of the single-process server: each
 * PGlite is a whole PostgreSQL in WebAssembly (~170 MiB, and initdb on a new
 * folder), so one instead of one per service halves both. The services'
 * tables have distinct names and `schema_migrations` keeps each service's
 * migrations apart. Returns undefined where every service opens its own
 * database as before: with a PostgreSQL URL, and in a DATA_DIR from an
 * earlier version that holds one PGlite folder per service (it is used as it
 * is, not converted).
 */
export async function openSharedDatabase(
  options: SharedDatabaseOptions,
): Promise<Database | undefined> {
  if (options.url) return undefined;
  if (!options.memory && !existsSync(join(options.dataDir, sharedDatabaseName, 'PG_VERSION'))) {
    const separate = options.services.filter((s) =>
      existsSync(join(options.dataDir, s, 'PG_VERSION')),
    );
    if (separate.length > 0) {
      options.logger?.info(
        { dataDir: options.dataDir, databases: separate },
        'DATA_DIR holds one database per service (made by an earlier version): opening them as they are',
      );
      return undefined;
    }
  }
  return openDatabase({
    dataDir: options.dataDir,
    name: sharedDatabaseName,
    memory: options.memory,
  });
}
