import { openDatabase, type Database } from '@rchat/server-kit';
import { createTestDatabase, dropTestDatabase } from './platform.ts';

/**
 * A fresh empty database: in-memory PGlite, or a new PostgreSQL database when DATABASE_URL is set.
 */
export async function freshDatabase(
  name: string,
): Promise<Database & { dispose(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  const url = adminUrl ? await createTestDatabase(adminUrl) : undefined;
  const database = await openDatabase({ url, dataDir: '', name, memory: true });
  return Object.assign(database, {
    async dispose() {
      await database.close();
      if (adminUrl && url) await dropTestDatabase(adminUrl, url);
    },
  });
}
