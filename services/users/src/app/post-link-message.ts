import { sql } from 'drizzle-orm';
import { AppError, queryRows } from '@rchat/server-kit';
import { linkMessages } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { LINK_SESSION_MAX_MESSAGES, linkSessionNotFound } from './support/link-session.ts';

/**
 * Relays one opaque message on a link session of the caller; a session carries at most
 * LINK_SESSION_MAX_MESSAGES.
 */
export async function postLinkMessage(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
  sessionId: string,
  ciphertext: string,
): Promise<{ seq: number }> {
  return deps.db.transaction(async (tx) => {
    const bumped = await queryRows<{ message_count: number }>(
      tx,
      sql`
      update link_sessions set message_count = message_count + 1
      where id = ${sessionId} and user_id = ${caller.userId} and expires_at > ${deps.now()}
      returning message_count`,
    );
    const seq = bumped[0]?.message_count;
    if (seq === undefined) throw linkSessionNotFound();
    if (seq > LINK_SESSION_MAX_MESSAGES)
      throw new AppError(
        'LINK_SESSION_FULL',
        'This link session carried the most messages it may; start linking again.',
      );
    await tx.insert(linkMessages).values({
      sessionId,
      seq,
      fromDeviceId: caller.deviceId,
      ciphertext: Buffer.from(ciphertext, 'base64'),
      createdAt: deps.now(),
    });
    return { seq };
  });
}
