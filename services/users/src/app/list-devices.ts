import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Device } from '@rchat/protocol';
import { devices } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

export async function listDevices(
  deps: UsersDeps,
  userId: string,
  currentDeviceId: string,
): Promise<Device[]> {
  const rows = await deps.db
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), isNull(devices.revokedAt)))
    .orderBy(asc(devices.createdAt));
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    createdAt: d.createdAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
    current: d.id === currentDeviceId,
  }));
}
