import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError, queryRows } from '@rchat/server-kit';
import type { ClaimKeyPackagesResponse } from '@rchat/protocol';
import { devices, keyPackages, users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Claims one KeyPackage for every certified, active device of a user, in one
 * transaction: a one-time KeyPackage is removed as it is handed out (so no
 * two claimers get the same one); when a device has none left its
 * last-resort KeyPackage is handed out and kept.
 */
export async function claimKeyPackages(
  deps: UsersDeps,
  targetUserId: string,
  exceptDeviceIds: readonly string[],
): Promise<ClaimKeyPackagesResponse> {
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .select({ identityKey: users.identityKey })
      .from(users)
      .where(eq(users.id, targetUserId))
      .limit(1);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
    const active = await tx
      .select({ id: devices.id, certificate: devices.certificate })
      .from(devices)
      .where(and(eq(devices.userId, targetUserId), isNull(devices.revokedAt)))
      .orderBy(devices.createdAt);
    const out: ClaimKeyPackagesResponse = {
      userId: targetUserId,
      identityKey: user.identityKey ? b64(user.identityKey) : null,
      keyPackages: [],
      exhaustedDeviceIds: [],
    };
    for (const device of active) {
      if (!device.certificate || exceptDeviceIds.includes(device.id)) continue;
      const taken = await queryRows<{ key_package: Uint8Array }>(
        tx,
        sql`
        delete from key_packages where id = (
          select id from key_packages where device_id = ${device.id} and not last_resort
          order by created_at limit 1 for update skip locked)
        returning key_package`,
      );
      let keyPackage = taken[0]?.key_package;
      let lastResort = false;
      if (!keyPackage) {
        const [fallback] = await tx
          .select({ keyPackage: keyPackages.keyPackage })
          .from(keyPackages)
          .where(and(eq(keyPackages.deviceId, device.id), eq(keyPackages.lastResort, true)))
          .limit(1);
        keyPackage = fallback?.keyPackage;
        lastResort = true;
      }
      if (!keyPackage) out.exhaustedDeviceIds.push(device.id);
      else
        out.keyPackages.push({
          deviceId: device.id,
          certificate: b64(device.certificate),
          keyPackage: b64(keyPackage),
          lastResort,
        });
    }
    return out;
  });
}
