import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { AppError, type Db } from '@rchat/server-kit';
import type {
  ClaimKeyPackagesResponse,
  KeyPackageCount,
  UploadKeyPackagesRequest,
} from '@rchat/protocol';
import { devices, keyPackages, users } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Stores the calling device's KeyPackages, within two quotas: one-time
 * KeyPackages per device and per account (MAX_KEY_PACKAGES_PER_DEVICE,
 * MAX_KEY_PACKAGES_PER_USER). The user's row lock orders concurrent uploads of
 * one account's devices, so neither quota can be passed by racing.
 */
export async function uploadKeyPackages(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
  input: UploadKeyPackagesRequest,
): Promise<KeyPackageCount> {
  const { MAX_KEY_PACKAGES_PER_DEVICE: perDevice, MAX_KEY_PACKAGES_PER_USER: perUser } =
    deps.config;
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from users where id = ${caller.userId} for update`);
    const [device] = await tx
      .select({ certificate: devices.certificate })
      .from(devices)
      .where(eq(devices.id, caller.deviceId))
      .for('update')
      .limit(1);
    if (!device?.certificate)
      throw new AppError(
        'CERTIFICATE_MISSING',
        "Upload this device's certificate before its KeyPackages.",
      );
    const current = await countFor(tx, caller.deviceId);
    if (current.oneTime + input.keyPackages.length > perDevice) {
      throw new AppError(
        'TOO_MANY_KEY_PACKAGES',
        `A device may keep at most ${perDevice} KeyPackages on the server; it has ${current.oneTime}.`,
      );
    }
    // Through the account's devices, so both indexes serve the count.
    const [account] = await tx
      .select({ n: count() })
      .from(keyPackages)
      .innerJoin(devices, eq(devices.id, keyPackages.deviceId))
      .where(and(eq(devices.userId, caller.userId), eq(keyPackages.lastResort, false)));
    const held = account?.n ?? 0;
    if (held + input.keyPackages.length > perUser) {
      throw new AppError(
        'TOO_MANY_KEY_PACKAGES',
        `The devices of an account may keep at most ${perUser} KeyPackages on the server together; they have ${held}.`,
      );
    }
    const now = deps.now();
    const rows = input.keyPackages.map((kp) => ({
      id: randomUUID(),
      deviceId: caller.deviceId,
      userId: caller.userId,
      keyPackage: Buffer.from(kp, 'base64'),
      lastResort: false,
      createdAt: now,
    }));
    if (input.lastResort) {
      await tx
        .delete(keyPackages)
        .where(and(eq(keyPackages.deviceId, caller.deviceId), eq(keyPackages.lastResort, true)));
      rows.push({
        id: randomUUID(),
        deviceId: caller.deviceId,
        userId: caller.userId,
        keyPackage: Buffer.from(input.lastResort, 'base64'),
        lastResort: true,
        createdAt: now,
      });
    }
    if (rows.length > 0) await tx.insert(keyPackages).values(rows);
    return countFor(tx, caller.deviceId);
  });
}

export async function countFor(db: Db, deviceId: string): Promise<KeyPackageCount> {
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
      const taken = (await tx.execute(sql`
        delete from key_packages where id = (
          select id from key_packages where device_id = ${device.id} and not last_resort
          order by created_at limit 1 for update skip locked)
        returning key_package`)) as unknown as { rows: { key_package: Uint8Array }[] };
      let keyPackage = taken.rows[0]?.key_package;
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
