import { and, count, eq, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import { devices } from '../../db/schema.ts';
import type { UsersDeps } from '../deps.ts';

/**
 * The device quota, checked before a login adds a device: an account has at
 * most MAX_DEVICES_PER_USER devices that were not removed. A password alone
 * thus cannot fill the key directory with devices; the person removes one
 * they no longer use and signs in again. Concurrent logins of one account may
 * each pass the check, so the quota can be passed by the few racing (each is
 * password-checked and rate-limited per address).
 */
export async function requireDeviceSlot(
  deps: Pick<UsersDeps, 'db' | 'config'>,
  userId: string,
): Promise<void> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(devices)
    .where(and(eq(devices.userId, userId), isNull(devices.revokedAt)));
  const max = deps.config.MAX_DEVICES_PER_USER;
  if ((row?.n ?? 0) >= max) {
    throw new AppError(
      'TOO_MANY_DEVICES',
      `This account already has ${max} devices, the most allowed: remove one you no longer use from a device where you are signed in, then sign in here again.`,
    );
  }
}
