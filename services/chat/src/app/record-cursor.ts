import { sql } from 'drizzle-orm';
import type { ChatDeps } from './deps.ts';

/**
 * Records that a device resumed its inbox after `cursorSeq`: it has processed
 * every entry up to there (clients resume from what they processed, not from
 * what they received). The last resume counts, even a lower one (a device
 * restored from an older copy of its storage holds entries back again).
 * Inbox retention deletes an entry only once every device is past it.
 */
export async function recordCursor(
  deps: ChatDeps,
  userId: string,
  deviceId: string,
  cursorSeq: number,
): Promise<void> {
  await deps.db.execute(sql`
    insert into device_cursors (user_id, device_id, cursor_seq, updated_at) values (${userId}, ${deviceId}, ${cursorSeq}, ${deps.now()})
    on conflict (user_id, device_id) do update set cursor_seq = excluded.cursor_seq, updated_at = excluded.updated_at`);
}
