import { gt, sql } from 'drizzle-orm';
import type { DeviceRevokedEvent } from '@rchat/protocol';
import { devices, refreshTokens } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * Devices removed, and sessions ended, recently enough that one of their
 * access tokens may still be unexpired: what a service instance loads at
 * start (later ones reach it on the bus).
 */
export async function recentRevocations(deps: UsersDeps): Promise<DeviceRevokedEvent[]> {
  const ttlMs = deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;
  const since = new Date(deps.now().getTime() - ttlMs);
  const removed = await deps.db
    .select({
      id: devices.id,
      userId: devices.userId,
      revokedAt: devices.revokedAt,
      reason: devices.revokedReason,
    })
    .from(devices)
    .where(gt(devices.revokedAt, since));
  const ended = await deps.db
    .select({
      familyId: refreshTokens.familyId,
      userId: refreshTokens.userId,
      deviceId: refreshTokens.deviceId,
      revokedAt: sql<Date | string>`max(${refreshTokens.revokedAt})`,
    })
    .from(refreshTokens)
    .where(gt(refreshTokens.revokedAt, since))
    .groupBy(refreshTokens.familyId, refreshTokens.userId, refreshTokens.deviceId);
  return [
    ...removed.map((r) => ({
      userId: r.userId,
      deviceId: r.id,
      until: (r.revokedAt ?? since).getTime() + ttlMs,
      reason: r.reason ?? 'device-removed',
    })),
    ...ended.map((r) => ({
      userId: r.userId,
      deviceId: r.deviceId,
      sessionId: r.familyId,
      until: new Date(r.revokedAt).getTime() + ttlMs,
    })),
  ];
}
