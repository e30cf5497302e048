import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { RegisterRequest, SessionResponse } from '@rchat/protocol';
import { checkPassword } from '../domain/password-policy.ts';
import { users } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { UsersDeps } from './deps.ts';
import { newSession, sessionResponse, storeSessionOfNewDevice } from './support/sessions.ts';

export async function register(
  deps: UsersDeps,
  input: RegisterRequest & { inviteCode?: string | undefined },
): Promise<SessionResponse> {
  const { config } = deps;
  if (config.REGISTRATION === 'closed')
    throw new AppError('REGISTRATION_CLOSED', 'This server does not accept new accounts.');
  if (
    config.REGISTRATION === 'invite' &&
    !(input.inviteCode && config.REGISTRATION_INVITE_CODES.includes(input.inviteCode))
  ) {
    throw new AppError('REGISTRATION_CLOSED', 'This server needs a valid invite code to register.');
  }
  const verdict = checkPassword(input.password, input.username, config.PASSWORD_MIN_LENGTH);
  if (!verdict.ok) throw new AppError('WEAK_PASSWORD', verdict.reason);

  const taken = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, input.username))
    .limit(1);
  if (taken.length > 0) throw usernameTaken();

  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.now();
  const user = { id: randomUUID(), username: input.username, createdAt: now };
  const deviceId = input.device.id ?? randomUUID();
  const session = newSession(deps, user.id, deviceId);
  try {
    // The account, its first device and the session in one statement.
    await deps.db.execute(sql`
      with u as (
        insert into users (id, username, password_hash, created_at) values (${user.id}, ${user.username}, ${passwordHash}, ${now})
        returning id
      ), d as (
        insert into devices (id, user_id, name, created_at, last_seen_at)
        select ${deviceId}::uuid, u.id, ${input.device.name}, ${now}::timestamptz, ${now}::timestamptz from u
        returning id, user_id
      )
      ${storeSessionOfNewDevice(session.row)}`);
    return await sessionResponse(deps, user, deviceId, {
      refreshToken: session.refreshToken,
      familyId: session.row.familyId,
    });
  } catch (e) {
    if (isUniqueViolation(e, 'users_username_key')) throw usernameTaken();
    if (isUniqueViolation(e, 'devices_pkey'))
      throw new AppError(
        'VALIDATION_FAILED',
        'This device id is already in use; omit it to get a new one.',
      );
    throw e;
  }
}

function usernameTaken(): AppError {
  return new AppError('USERNAME_TAKEN', 'This username is taken; choose another.');
}
