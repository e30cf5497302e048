import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { LoginRequest, SessionResponse } from '@rchat/protocol';
import { devices, users } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';
import { issueSession, newSession, sessionResponse, storeSessionOfNewDevice } from './sessions.ts';
import { requireDeviceSlot } from './require-device-slot.ts';

let dummyHash: Promise<string> | null = null;

export async function login(deps: UsersDeps, input: LoginRequest): Promise<SessionResponse> {
  const [user] = await deps.db.select().from(users).where(eq(users.username, input.username)).limit(1);
  if (!user) {
    // Spend the same work as a real check so response time does not reveal which usernames exist.
    dummyHash ??= deps.hasher.hash(randomUUID());
    await deps.hasher.verify(await dummyHash, input.password);
    throw invalidCredentials();
  }
  if (!(await deps.hasher.verify(user.passwordHash, input.password))) throw invalidCredentials();

  const now = deps.now();
  const deviceId = input.device.id;
  if (!deviceId) return signInNewDevice(deps, user, input.device.name, now);
  // Signing in again on a device the account already has (or one whose id the client chose).
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
    if (existing && existing.userId !== user.id) throw new AppError('VALIDATION_FAILED', 'This device id belongs to another account; omit it to get a new one.');
    if (existing?.revokedAt) throw new AppError('FORBIDDEN', 'This device was removed from the account; sign in as a new device.');
    if (existing) {
      await tx.update(devices).set({ name: input.device.name, lastSeenAt: now }).where(and(eq(devices.id, deviceId), eq(devices.userId, user.id)));
    } else {
      await requireDeviceSlot({ config: deps.config, db: tx }, user.id);
      await tx.insert(devices).values({ id: deviceId, userId: user.id, name: input.device.name, createdAt: now, lastSeenAt: now });
    }
    return issueSession(deps, tx, user, deviceId);
  });
}

/** A login as a new device: the device and its session in one statement. */
async function signInNewDevice(deps: UsersDeps, user: { id: string; username: string; createdAt: Date }, name: string, now: Date): Promise<SessionResponse> {
  await requireDeviceSlot(deps, user.id);
  const deviceId = randomUUID();
  const session = newSession(deps, user.id, deviceId);
  await deps.db.execute(sql`
    with d as (
      insert into devices (id, user_id, name, created_at, last_seen_at) values (${deviceId}, ${user.id}, ${name}, ${now}, ${now})
      returning id, user_id
    )
    ${storeSessionOfNewDevice(session.row)}`);
  return sessionResponse(deps, user, deviceId, session.refreshToken);
}

function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', 'The username or password is wrong.');
}
