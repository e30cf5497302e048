import { randomUUID } from 'node:crypto';
import type { LinkSession } from '@rchat/protocol';
import { linkSessions } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';
import { LINK_SESSION_TTL_MS } from './support/link-session.ts';

/**
 * A relay between two devices of one user while one links the other: the
 * server keeps the opaque (HPKE-encrypted) messages for ten minutes and shows
 * them only to devices of that user; the retention schedule deletes expired sessions.
 */
export async function openLinkSession(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
): Promise<LinkSession> {
  const now = deps.now();
  const session = {
    id: randomUUID(),
    userId: caller.userId,
    createdBy: caller.deviceId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + LINK_SESSION_TTL_MS),
  };
  await deps.db.insert(linkSessions).values(session);
  return { id: session.id, expiresAt: session.expiresAt.toISOString() };
}
