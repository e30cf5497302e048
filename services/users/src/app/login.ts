import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { decodeDeviceCertificate, verifyDeviceLogin } from '@rchat/crypto';
import { AppError, type Db } from '@rchat/server-kit';
import type { DeviceProof, LoginRequest, SessionResponse } from '@rchat/protocol';
import { devices, loginChallenges, users } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';
import { issueSession, newSession, sessionResponse, storeSessionOfNewDevice } from './sessions.ts';
import { requireDeviceSlot } from './require-device-slot.ts';

let dummyHash: Promise<string> | null = null;

/**
 * Signs in with the password. Without `device.id` (or with an id the server
 * does not know) the session belongs to a new, uncertified device, which no
 * client adds to a conversation until the account's identity key certifies
 * it. Signing in as an existing certified device also needs proof of that
 * device's key: its signature over a fresh, single-use challenge.
 */
export async function login(deps: UsersDeps, input: LoginRequest): Promise<SessionResponse> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(eq(users.username, input.username))
    .limit(1);
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
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
    if (existing && existing.userId !== user.id)
      throw new AppError(
        'VALIDATION_FAILED',
        'This device id belongs to another account; omit it to get a new one.',
      );
    if (existing?.revokedReason === 'identity-reset') {
      throw new AppError(
        'IDENTITY_RESET',
        "This device was signed out because your account's encryption identity was reset from another device; sign in as a new device.",
      );
    }
    if (existing?.revokedAt)
      throw new AppError(
        'FORBIDDEN',
        'This device was removed from the account; sign in as a new device.',
      );
    if (existing) {
      await proveDevice(tx, now, user.id, deviceId, existing.certificate, input.device.proof);
      await tx
        .update(devices)
        .set({ name: input.device.name, lastSeenAt: now })
        .where(and(eq(devices.id, deviceId), eq(devices.userId, user.id)));
    } else {
      await requireDeviceSlot({ config: deps.config, db: tx }, user.id);
      await tx.insert(devices).values({
        id: deviceId,
        userId: user.id,
        name: input.device.name,
        createdAt: now,
        lastSeenAt: now,
      });
    }
    return issueSession(deps, tx, user, deviceId);
  });
}

/**
 * Checks that the caller holds the existing device's key: the challenge must
 * be one this server issued, unexpired and unused (it is used up here), and
 * the signature must verify under the device key its certificate names. A
 * device without a certificate has no key to prove: it is signed in as a new device instead.
 */
async function proveDevice(
  tx: Db,
  now: Date,
  userId: string,
  deviceId: string,
  certificate: Uint8Array | null,
  proof: DeviceProof | undefined,
): Promise<void> {
  const refuse = (why: string) =>
    new AppError(
      'DEVICE_PROOF_REQUIRED',
      `${why} Sign in without a device id to start as a new device.`,
    );
  if (!certificate)
    throw refuse(
      "This device was never confirmed by the account's identity key, so it has no key to sign in with.",
    );
  if (!proof)
    throw refuse(
      "Signing in as an existing device needs a signature by that device's key over a fresh challenge (POST /auth/challenge).",
    );
  const used = await tx
    .delete(loginChallenges)
    .where(and(eq(loginChallenges.challenge, proof.challenge), gt(loginChallenges.expiresAt, now)))
    .returning({ challenge: loginChallenges.challenge });
  if (used.length === 0)
    throw refuse('The challenge is unknown, expired or already used; ask for a new one.');
  const decoded = decodeDeviceCertificate(new Uint8Array(certificate));
  const signature = new Uint8Array(Buffer.from(proof.signature, 'base64'));
  if (
    decoded.kind !== 'ok' ||
    decoded.certificate.userId !== userId ||
    decoded.certificate.deviceId !== deviceId ||
    !(await verifyDeviceLogin(decoded.certificate, proof.challenge, signature))
  ) {
    throw refuse("The signature does not prove this device's key.");
  }
}

/** A login as a new device: the device and its session in one statement. */
async function signInNewDevice(
  deps: UsersDeps,
  user: { id: string; username: string; createdAt: Date },
  name: string,
  now: Date,
): Promise<SessionResponse> {
  await requireDeviceSlot(deps, user.id);
  const deviceId = randomUUID();
  const session = newSession(deps, user.id, deviceId);
  await deps.db.execute(sql`
    with d as (
      insert into devices (id, user_id, name, created_at, last_seen_at) values (${deviceId}, ${user.id}, ${name}, ${now}, ${now})
      returning id, user_id
    )
    ${storeSessionOfNewDevice(session.row)}`);
  return sessionResponse(deps, user, deviceId, {
    refreshToken: session.refreshToken,
    familyId: session.row.familyId,
  });
}

function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', 'The username or password is wrong.');
}
