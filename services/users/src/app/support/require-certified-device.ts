import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import { devices } from '../../db/schema.ts';
import type { UsersDeps } from '../deps.ts';

/**
 * The gate for every change to the account's keys, devices or backups: the
 * calling device must hold a certificate from the account's current identity
 * key (a certificate is checked against that key when uploaded, and all are
 * dropped when the identity is reset). A session made with the password
 * alone is an uncertified device: it can link itself, restore from the
 * recovery key, or reset the identity loudly, and nothing else here.
 * Routes whose spec says `device: 'certified'` get it from bindRoutes before
 * their input is read; use cases whose rule depends on the input call it.
 */
export async function requireCertifiedDevice(
  deps: Pick<UsersDeps, 'db'>,
  caller: { userId: string; deviceId: string },
): Promise<void> {
  const [row] = await deps.db
    .select({ id: devices.id })
    .from(devices)
    .where(
      and(
        eq(devices.id, caller.deviceId),
        eq(devices.userId, caller.userId),
        isNull(devices.revokedAt),
        isNotNull(devices.certificate),
      ),
    )
    .limit(1);
  if (!row) {
    throw new AppError(
      'DEVICE_NOT_CERTIFIED',
      "This device has not been confirmed by your account's identity key yet: link it from a signed-in device, restore it with your recovery key, or reset your encryption identity.",
    );
  }
}
