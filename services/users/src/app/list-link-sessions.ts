import { and, desc, eq, gt } from 'drizzle-orm';
import type { LinkSessionList } from '@rchat/protocol';
import { linkSessions } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/** The caller's link sessions that have not expired, newest first. */
export async function listLinkSessions(
  deps: UsersDeps,
  caller: { userId: string },
): Promise<LinkSessionList> {
  const rows = await deps.db
    .select()
    .from(linkSessions)
    .where(and(eq(linkSessions.userId, caller.userId), gt(linkSessions.expiresAt, deps.now())))
    .orderBy(desc(linkSessions.createdAt))
    .limit(50);
  return {
    sessions: rows.map((r) => ({
      id: r.id,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
    })),
  };
}
