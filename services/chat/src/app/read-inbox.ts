import { sql } from 'drizzle-orm';
import type { Conversation, InboxEntry, InboxPage, InboxQuery } from '@rchat/protocol';
import { assertNever } from '@rchat/server-kit';
import type { ChatDeps } from './deps.ts';
import { toMessage } from './to-dto.ts';

interface Row extends Record<string, unknown> {
  seq: string | number;
  type: InboxEntry['type'];
  conversation_id: string;
  payload: unknown;
  created_at: Date | string;
  m_id: string | null;
  m_seq: string | number | null;
  sender_user_id: string | null;
  sender_device_id: string | null;
  txn_id: string | null;
  ciphertext: Uint8Array | null;
  m_created_at: Date | string | null;
}

/** The user's inbox entries after `after`, oldest first: what a device missed. */
export async function readInbox(deps: ChatDeps, userId: string, q: InboxQuery): Promise<InboxPage> {
  const result = (await deps.db.execute(sql`
    select e.seq, e.type, e.conversation_id, e.payload, e.created_at,
      m.id as m_id, m.seq as m_seq, m.sender_user_id, m.sender_device_id, m.txn_id, m.ciphertext, m.created_at as m_created_at
    from inbox_entries e
    left join messages m on e.type = 'message' and m.conversation_id = e.conversation_id and m.seq = e.message_seq
    where e.user_id = ${userId} and e.seq > ${q.after}
    order by e.seq
    limit ${q.limit}`)) as unknown as { rows: Row[] };
  const head = (await deps.db.execute(sql`select head_seq from inbox_heads where user_id = ${userId}`)) as unknown as { rows: { head_seq: string | number }[] };
  const entries: InboxEntry[] = [];
  for (const r of result.rows) {
    const base = { seq: Number(r.seq), createdAt: new Date(r.created_at).toISOString() };
    const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload;
    switch (r.type) {
      case 'message':
        if (r.m_id === null || r.ciphertext === null) continue; // removed by retention
        entries.push({
          ...base,
          type: 'message',
          message: toMessage({
            id: r.m_id,
            conversationId: r.conversation_id,
            seq: Number(r.m_seq),
            senderUserId: r.sender_user_id ?? '',
            senderDeviceId: r.sender_device_id ?? '',
            txnId: r.txn_id ?? '',
            ciphertext: r.ciphertext,
            createdAt: new Date(r.m_created_at ?? r.created_at),
          }),
        });
        break;
      case 'conversation':
        entries.push({ ...base, type: 'conversation', conversation: payload as Omit<Conversation, 'readSeq' | 'unreadCount'> });
        break;
      case 'read':
        entries.push({ ...base, type: 'read', conversationId: r.conversation_id, readSeq: Number((payload as { readSeq: number }).readSeq) });
        break;
      default:
        assertNever(r.type, 'inbox entry type');
    }
  }
  return { entries, headSeq: Number(head.rows[0]?.head_seq ?? 0) };
}
