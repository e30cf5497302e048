import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { KeyPackageCount, UploadKeyPackagesRequest } from '@rchat/protocol';
import { devices, keyPackages } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { countKeyPackages } from './count-key-packages.ts';

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
    const current = await countKeyPackages(tx, caller.deviceId);
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
    return countKeyPackages(tx, caller.deviceId);
  });
}
