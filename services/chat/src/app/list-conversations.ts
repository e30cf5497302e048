import { queryRows } from '@rchat/server-kit';
import { sql } from 'drizzle-orm';
import type { Conversation } from '@rchat/protocol';
import type { Caller, ChatDeps } from './deps.ts';

interface Row extends Record<string, unknown> {
  id: string;
  kind: 'direct';
  created_at: Date | string;
  last_activity_at: Date | string;
  last_seq: string | number;
  epoch: string | number;
  read_seq: string | number;
  unread: string | number;
  members: { userId: string; username: string; deleted: boolean }[] | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The caller's conversations, most recent activity first, with unread counts. */
export async function listConversations(
  deps: ChatDeps,
  caller: Caller,
  onlyId?: string,
): Promise<Conversation[]> {
  const result = await queryRows<Row>(
    deps.db,
    sql`
    select c.id, c.kind, c.created_at, c.last_activity_at, c.last_seq, c.epoch, me.read_seq,
      (select count(*) from messages x
        where x.conversation_id = c.id and x.seq > me.read_seq and x.sender_user_id <> me.user_id) as unread,
      (select json_agg(json_build_object('userId', m.user_id, 'username', m.username, 'deleted', m.deleted_at is not null) order by m.username)
        from conversation_members m where m.conversation_id = c.id) as members
    from conversation_members me
    join conversations c on c.id = me.conversation_id
    where me.user_id = ${caller.userId} ${onlyId ? sql`and c.id = ${onlyId}` : sql``}
    order by c.last_activity_at desc, c.id
    limit 1000`,
  );
  return result.map((r) => ({
    id: r.id,
    kind: r.kind,
    members:
      typeof r.members === 'string'
        ? (JSON.parse(r.members) as Row['members'] & unknown[])
        : r.members,
    createdAt: iso(r.created_at),
    lastActivityAt: iso(r.last_activity_at),
    lastSeq: Number(r.last_seq),
    epoch: Number(r.epoch),
    readSeq: Number(r.read_seq),
    unreadCount: Number(r.unread),
  })) as Conversation[];
}
