import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '@rchat/server-kit';
import type { LinkMessagesResponse, LinkSession, LinkSessionList } from '@rchat/protocol';
import { linkMessages, linkSessions } from '../adapters/postgres/schema.ts';
import type { UsersDeps } from './deps.ts';

export const LINK_SESSION_TTL_MS = 10 * 60_000;
export const LINK_SESSION_MAX_MESSAGES = 20;

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

export async function postLinkMessage(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
  sessionId: string,
  ciphertext: string,
): Promise<{ seq: number }> {
  return deps.db.transaction(async (tx) => {
    const bumped = (await tx.execute(sql`
      update link_sessions set message_count = message_count + 1
      where id = ${sessionId} and user_id = ${caller.userId} and expires_at > ${deps.now()}
      returning message_count`)) as unknown as { rows: { message_count: number }[] };
    const seq = bumped.rows[0]?.message_count;
    if (seq === undefined) throw notFound();
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
  if (!session) throw notFound();
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

function notFound(): AppError {
  return new AppError(
    'LINK_SESSION_NOT_FOUND',
    'No link session of yours has this id, or it expired; start linking again.',
  );
}
