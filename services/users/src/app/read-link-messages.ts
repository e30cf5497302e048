import { and, asc, eq, gt } from 'drizzle-orm';
import type { LinkMessagesResponse } from '@rchat/protocol';
import { linkMessages, linkSessions } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { linkSessionNotFound } from './support/link-session.ts';

/** The messages of a link session of the caller after `after`, oldest first. */
export async function readLinkMessages(
  deps: UsersDeps,
  caller: { userId: string },
  sessionId: string,
  after: number,
): Promise<LinkMessagesResponse> {
  const [session] = await deps.db
    .select({ expiresAt: linkSessions.expiresAt })
    .from(linkSessions)
    .where(
      and(
        eq(linkSessions.id, sessionId),
        eq(linkSessions.userId, caller.userId),
        gt(linkSessions.expiresAt, deps.now()),
      ),
    )
    .limit(1);
  if (!session) throw linkSessionNotFound();
  const rows = await deps.db
    .select()
    .from(linkMessages)
    .where(and(eq(linkMessages.sessionId, sessionId), gt(linkMessages.seq, after)))
    .orderBy(asc(linkMessages.seq));
  return {
    messages: rows.map((r) => ({
      seq: r.seq,
      fromDeviceId: r.fromDeviceId,
      ciphertext: Buffer.from(r.ciphertext).toString('base64'),
      createdAt: r.createdAt.toISOString(),
    })),
    expiresAt: session.expiresAt.toISOString(),
  };
}
