import { and, eq, isNull } from 'drizzle-orm';
import { AppError, publishRevocation, type Bus } from '@rchat/server-kit';
import type { DeviceRevokedEvent } from '@rchat/protocol';
import { devices, keyPackages, refreshTokens } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { requireCertifiedDevice } from './support/require-certified-device.ts';

/**
 * Removes one of the caller's devices: it leaves the key directory (its
 * certificate and KeyPackages go), its sessions end, and every service
 * refuses its access tokens and ends its event streams at once (bus).
 * Removing it from the conversations' MLS groups is the clients' part (Remove commits).
 * Signing oneself out is always allowed; removing another device needs a device
 * the identity key certified.
 */
export async function removeDevice(
  deps: UsersDeps,
  bus: Bus,
  caller: { userId: string; deviceId: string },
  deviceId: string,
): Promise<DeviceRevokedEvent> {
  if (deviceId !== caller.deviceId) await requireCertifiedDevice(deps, caller);
  const { userId } = caller;
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const revoked = await tx
      .update(devices)
      .set({ revokedAt: now, revokedReason: 'device-removed', certificate: null })
      .where(and(eq(devices.id, deviceId), eq(devices.userId, userId), isNull(devices.revokedAt)))
      .returning({ id: devices.id });
    if (revoked.length === 0)
      throw new AppError('DEVICE_NOT_FOUND', 'No active device of yours has this id.');
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.deviceId, deviceId), isNull(refreshTokens.revokedAt)));
    await tx.delete(keyPackages).where(eq(keyPackages.deviceId, deviceId));
  });
  const event: DeviceRevokedEvent = {
    userId,
    deviceId,
    until: now.getTime() + deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000,
    reason: 'device-removed',
  };
  publishRevocation(bus, event);
  deps.logger.info({ userId, deviceId }, 'device removed');
  return event;
}
