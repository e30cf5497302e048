import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { UserKeys } from '@rchat/protocol';
import { devices, users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/** The key directory entry of a user: identity key and the certificates of their active devices. */
export async function getUserKeys(deps: UsersDeps, userId: string): Promise<UserKeys> {
  const [user] = await deps.db
    .select({
      identityKey: users.identityKey,
      changedAt: users.identityKeyChangedAt,
      resetAt: users.identityResetAt,
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this id.');
  const rows = await deps.db
    .select({
      id: devices.id,
      name: devices.name,
      certificate: devices.certificate,
      createdAt: devices.createdAt,
    })
    .from(devices)
    .where(
      and(eq(devices.userId, userId), isNull(devices.revokedAt), isNotNull(devices.certificate)),
    )
    .orderBy(asc(devices.createdAt));
  return {
    userId,
    identityKey: user.identityKey ? Buffer.from(user.identityKey).toString('base64') : null,
    identityKeyChangedAt: user.changedAt?.toISOString() ?? null,
    identityResetAt: user.resetAt?.toISOString() ?? null,
    devices: rows.map((d) => ({
      deviceId: d.id,
      name: d.name,
      certificate: Buffer.from(d.certificate ?? new Uint8Array()).toString('base64'),
      createdAt: d.createdAt.toISOString(),
    })),
  };
}
