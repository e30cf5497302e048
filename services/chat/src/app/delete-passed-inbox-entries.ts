import { sql } from 'drizzle-orm';
import { deleteInBatches, queryRows, type RetentionTask } from '@rchat/server-kit';
import type { ActiveDevice } from '@rchat/protocol';
import type { ActiveDevicesSource, ChatDeps } from './deps.ts';
import { passedByAll } from '../domain/passed-by-all.ts';

const DAY_MS = 86_400_000;
/** Users looked at per step (and named in one active-devices read). */
const USERS_PER_STEP = 100;
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * Inbox retention: deletes a user's inbox entries that are older than
 * INBOX_RETENTION_DAYS and that every device of the user has passed, i.e.
 * resumed from a cursor at or after them (`recordCursor`). A certified device
 * that never resumed holds all of its user's entries; an uncertified one holds
 * none (a device starts at the inbox head when it is certified); a user
 * without devices (removed, or the account deleted) holds none. So a device's
 * next resume finds every entry after its cursor: exactly-once resume holds.
 * Messages (the history) and commits are not touched.
 *
 * Users are visited in id order, a step at a time, and only those whose
 * oldest entry is old enough are looked at further; entries go in bounded
 * batches chosen `for update skip locked`, so two instances may run at once.
 */
export function inboxRetentionTask(deps: ChatDeps, devices: ActiveDevicesSource): RetentionTask {
  return {
    kind: 'passed-inbox-entries',
    run: async (now, stop) => {
      const cutoff = new Date(now.getTime() - deps.config.INBOX_RETENTION_DAYS * DAY_MS);
      let deleted = 0;
      let after = NO_USER;
      for (;;) {
        const step = await queryRows<{ user_id: string; old: boolean | null }>(
          deps.db,
          sql`select h.user_id, f.created_at < ${cutoff} as old
            from (select user_id from inbox_heads where user_id > ${after} order by user_id limit ${USERS_PER_STEP}) h
            left join lateral (select created_at from inbox_entries e where e.user_id = h.user_id order by seq limit 1) f on true
            order by h.user_id`,
        );
        const last = step.at(-1);
        if (!last || stop.aborted) return deleted;
        after = last.user_id;
        const candidates = step.filter((r) => r.old === true).map((r) => r.user_id);
        if (candidates.length > 0)
          deleted += await deleteForUsers(
            deps,
            candidates,
            await devices(candidates),
            cutoff,
            stop,
          );
      }
    },
  };
}

async function deleteForUsers(
  deps: ChatDeps,
  userIds: string[],
  active: ActiveDevice[],
  cutoff: Date,
  stop: AbortSignal,
): Promise<number> {
  const cursors = await queryRows<{
    user_id: string;
    device_id: string;
    cursor_seq: string | number;
  }>(
    deps.db,
    sql`select user_id, device_id, cursor_seq from device_cursors where user_id in (${sql.join(
      userIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  const cursorOf = new Map(
    cursors.map((c) => [`${c.user_id}/${c.device_id}`, Number(c.cursor_seq)]),
  );
  let deleted = 0;
  for (const userId of userIds) {
    const devices = active.filter((d) => d.userId === userId);
    const passed = passedByAll(
      devices.map((d) => ({
        certified: d.certified,
        cursor: cursorOf.get(`${userId}/${d.deviceId}`),
      })),
    );
    if (passed > 0) {
      deleted += await deleteInBatches(
        async (limit) =>
          (
            await queryRows(
              deps.db,
              sql`delete from inbox_entries where user_id = ${userId} and seq in (
                select seq from inbox_entries where user_id = ${userId} and seq <= ${passed} and created_at < ${cutoff}
                order by seq limit ${limit} for update skip locked)
              returning 1 as gone`,
            )
          ).length,
        deps.config.RETENTION_BATCH_SIZE,
        stop,
      );
    }
    // Cursors of devices that were removed hold nothing any more.
    const keep = devices.map((d) => sql`${d.deviceId}::uuid`);
    await deps.db.execute(
      sql`delete from device_cursors where user_id = ${userId}${keep.length > 0 ? sql` and device_id not in (${sql.join(keep, sql`, `)})` : sql``}`,
    );
  }
  return deleted;
}
