import { sql, type SQL } from 'drizzle-orm';
import { deleteInBatches, queryRows, type RetentionTask } from '@rchat/server-kit';
import type { UsersDeps } from './deps.ts';
import { PUBLISHED_KEYS } from './support/signing-keys.ts';

const DAY_MS = 86_400_000;

/**
 * What the users service deletes on its retention schedule. Each statement
 * deletes at most one batch of rows chosen `for update skip locked`, so it
 * holds few locks, and two instances running at once delete different rows
 * (deleting twice is harmless: a row is gone or not).
 *
 * - Link sessions past their expiry (with their relayed messages): nobody can read them any more.
 * - Login challenges past their expiry: they can no longer be answered.
 * - Refresh tokens expired more than REFRESH_TOKEN_RETENTION_DAYS ago, used,
 *   revoked or not: `refresh` refuses an expired token before it looks for
 *   reuse, so a used token is recognised as reused (and revokes its family)
 *   exactly as long as it has not expired, and the family's live tokens are
 *   kept. A revoked token is also kept while services may still load its
 *   session's revocation (`recentRevocations`).
 * - KeyPackages of removed devices (removal deletes them; this catches any left behind).
 * - Token-signing keys no longer published in the JWKS: no token they signed verifies any more, so
 * their private halves are only a risk.
 */
export function usersRetentionTasks(deps: UsersDeps): RetentionTask[] {
  const { config } = deps;
  /** A task that runs one DELETE statement (given the batch size) batch by batch. */
  const task = (kind: string, statement: (now: Date, limit: number) => SQL): RetentionTask => ({
    kind,
    run: (now, stop) =>
      deleteInBatches(
        (limit) => countDeleted(deps, statement(now, limit)),
        config.RETENTION_BATCH_SIZE,
        stop,
      ),
  });
  return [
    task(
      'expired-link-sessions',
      (now, limit) => sql`delete from link_sessions where id in (
      select id from link_sessions where expires_at < ${now} order by expires_at limit ${limit} for update skip locked)`,
    ),
    task(
      'expired-login-challenges',
      (now, limit) => sql`delete from login_challenges where challenge in (
      select challenge from login_challenges where expires_at < ${now} order by expires_at limit ${limit} for update skip locked)`,
    ),
    task('expired-refresh-tokens', (now, limit) => {
      const expiredBefore = new Date(now.getTime() - config.REFRESH_TOKEN_RETENTION_DAYS * DAY_MS);
      const revokedBefore = new Date(
        now.getTime() - config.ACCESS_TOKEN_TTL_SECONDS * 1000 - 60_000,
      );
      return sql`delete from refresh_tokens where id in (
        select id from refresh_tokens where expires_at < ${expiredBefore} and (revoked_at is null or revoked_at < ${revokedBefore})
        order by expires_at limit ${limit} for update skip locked)`;
    }),
    task(
      'removed-devices-key-packages',
      (_now, limit) => sql`delete from key_packages where id in (
      select k.id from devices d join key_packages k on k.device_id = d.id
      where d.revoked_at is not null limit ${limit} for update of k skip locked)`,
    ),
    task(
      'retired-signing-keys',
      (_now, limit) => sql`delete from signing_keys where kid in (
      select kid from signing_keys order by created_at desc offset ${PUBLISHED_KEYS} limit ${limit} for update skip locked)`,
    ),
  ];
}

async function countDeleted(deps: UsersDeps, statement: SQL): Promise<number> {
  return (await queryRows(deps.db, sql`${statement} returning 1 as gone`)).length;
}
