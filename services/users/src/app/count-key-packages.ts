import { count, eq } from 'drizzle-orm';
import type { Db } from '@rchat/server-kit';
import type { KeyPackageCount } from '@rchat/protocol';
import { keyPackages } from '../db/schema.ts';

/**
 * How many KeyPackages a device keeps on the server: one-time ones, and whether it has a
 * last-resort one.
 */
export async function countKeyPackages(db: Db, deviceId: string): Promise<KeyPackageCount> {
  const rows = await db
    .select({ lastResort: keyPackages.lastResort, n: count() })
    .from(keyPackages)
    .where(eq(keyPackages.deviceId, deviceId))
    .groupBy(keyPackages.lastResort);
  return {
    oneTime: rows.find((r) => !r.lastResort)?.n ?? 0,
    lastResort: rows.some((r) => r.lastResort && r.n > 0),
  };
}
