import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { ActiveDevice } from '@rchat/protocol';
import { devices } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * The devices of these users that are not removed, and whether each is
 * certified: what the chat service's inbox retention must wait for (an
 * inbox entry is deleted only once every such device has passed it).
 */
export async function listActiveDevices(
  deps: UsersDeps,
  userIds: readonly string[],
): Promise<ActiveDevice[]> {
  if (userIds.length === 0) return [];
  const rows = await deps.db
    .select({
      userId: devices.userId,
      deviceId: devices.id,
      certified: sql<boolean>`${devices.certificate} is not null`,
    })
    .from(devices)
    .where(and(inArray(devices.userId, [...userIds]), isNull(devices.revokedAt)));
  return rows.map((r) => ({
    userId: r.userId,
    deviceId: r.deviceId,
    certified: Boolean(r.certified),
  }));
}
