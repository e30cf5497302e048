import { and, eq } from 'drizzle-orm';
import { AppError, type Db } from '@rchat/server-kit';
import { conversationMembers } from '../../db/schema.ts';

/**
 * Throws CONVERSATION_NOT_FOUND unless the user is a member (non-members cannot learn that it
 * exists).
 */
export async function requireMember(
  db: Db,
  conversationId: string,
  userId: string,
): Promise<{ readSeq: number }> {
  const [row] = await db
    .select({ readSeq: conversationMembers.readSeq })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    )
    .limit(1);
  if (!row)
    throw new AppError('CONVERSATION_NOT_FOUND', 'No conversation with this id exists for you.');
  return { readSeq: Number(row.readSeq) };
}
