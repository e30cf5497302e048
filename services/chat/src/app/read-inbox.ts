import { sql } from 'drizzle-orm';
import { queryRows } from '@rchat/server-kit';
import {
  assertNever,
  inboxEntrySchema,
  type InboxEntry,
  type InboxPage,
  type InboxQuery,
} from '@rchat/protocol';
import type { ChatDeps } from './deps.ts';
import { b64, messageFromColumns, type MessageColumns } from './support/to-dto.ts';
import { recordCursor } from './record-cursor.ts';

interface Row extends MessageColumns {
  seq: string | number;
  type: InboxEntry['type'];
  conversation_id: string;
  payload: unknown;
  device_ids: string[] | string | null;
  created_at: Date | string;
  c_epoch: string | number | null;
  c_sender_user_id: string | null;
  c_sender_device_id: string | null;
  c_commit: Uint8Array | null;
  c_created_at: Date | string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
/** PGlite returns uuid[] as an array; some drivers as the text form `{a,b}`. */
const uuidArray = (v: string[] | string | null): string[] =>
  v === null
    ? []
    : Array.isArray(v)
      ? v
      : v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean);

/**
 * The user's inbox entries after `after`, oldest first: what a device missed.
 * With `deviceId`, entries addressed to other devices (welcomes) are left out;
 * their sequence numbers are simply skipped.
 *
 * A page holds at most `q.limit` entries and ends before its ciphertexts,
 * commits and Welcomes (as base64) would pass MAX_PAGE_BYTES, but always holds
 * one entry: the sizes are read first, and only the blobs of the entries that
 * fit are read at all. So a page may be short although more follow; readers
 * go on while the last entry's seq is below `headSeq`.
 *
 * With `resumingDevice`, the read is that device resuming from its cursor:
 * `after` (or the head, when it starts from the head) is recorded as the
 * point up to which the device has every entry (`recordCursor`).
 */
export async function readInbox(
  deps: ChatDeps,
  userId: string,
  q: InboxQuery,
  who: { forDevice?: string | undefined; resumingDevice?: string | undefined } = {},
): Promise<InboxPage> {
  const deviceId = who.forDevice;
  const forDevice =
    deviceId === undefined
      ? sql``
      : sql`and (e.type <> 'welcome' or ${deviceId}::uuid = any(e.device_ids))`;
  const result = await queryRows<Row>(
    deps.db,
    sql`
    with page as (
      select e.seq,
        coalesce((octet_length(m.ciphertext) + 2) / 3 * 4, 0) + coalesce((octet_length(c.commit) + 2) / 3 * 4, 0) + coalesce(octet_length(e.payload->>'welcome'), 0) as bytes
      from inbox_entries e
      left join messages m on e.type = 'message' and m.conversation_id = e.conversation_id and m.seq = e.message_seq
      left join commits c on e.type = 'commit' and c.conversation_id = e.conversation_id and c.epoch = e.commit_epoch
      where e.user_id = ${userId} and e.seq > ${q.after} ${forDevice}
      order by e.seq
      limit ${q.limit}
    ), fitting as (
      select seq, sum(bytes) over (order by seq) as upto, row_number() over (order by seq) as n from page
    )
    select e.seq, e.type, e.conversation_id, e.payload, e.device_ids, e.created_at,
      m.id as m_id, m.seq as m_seq, m.sender_user_id, m.sender_device_id, m.txn_id, m.ciphertext, m.epoch as m_epoch, m.created_at as m_created_at,
      c.epoch as c_epoch, c.sender_user_id as c_sender_user_id, c.sender_device_id as c_sender_device_id, c.commit as c_commit, c.created_at as c_created_at
    from fitting f
    join inbox_entries e on e.user_id = ${userId} and e.seq = f.seq
    left join messages m on e.type = 'message' and m.conversation_id = e.conversation_id and m.seq = e.message_seq
    left join commits c on e.type = 'commit' and c.conversation_id = e.conversation_id and c.epoch = e.commit_epoch
    where f.n = 1 or f.upto <= ${deps.config.MAX_PAGE_BYTES}
    order by e.seq`,
  );
  const head = await queryRows<{ head_seq: string | number }>(
    deps.db,
    sql`select head_seq from inbox_heads where user_id = ${userId}`,
  );
  const headSeq = Number(head[0]?.head_seq ?? 0);
  if (who.resumingDevice !== undefined)
    await recordCursor(deps, userId, who.resumingDevice, Math.min(q.after, headSeq));
  const entries: InboxEntry[] = [];
  for (const r of result) {
    const entry = toEntry(r);
    if (entry) entries.push(entry);
  }
  return { entries, headSeq };
}

function toEntry(r: Row): InboxEntry | null {
  const base = { seq: Number(r.seq), createdAt: iso(r.created_at) };
  switch (r.type) {
    case 'message': {
      const message = messageFromColumns(r.conversation_id, r, r.created_at);
      return message && { ...base, type: 'message', message };
    }
    case 'commit':
      if (r.c_commit === null) return null;
      return {
        ...base,
        type: 'commit',
        commit: {
          conversationId: r.conversation_id,
          epoch: Number(r.c_epoch),
          senderUserId: r.c_sender_user_id ?? '',
          senderDeviceId: r.c_sender_device_id ?? '',
          commit: b64(r.c_commit),
          createdAt: iso(r.c_created_at ?? r.created_at),
        },
      };
    case 'conversation':
      return fromStored({ ...base, type: r.type, conversation: payloadOf(r) });
    case 'welcome':
      return fromStored({
        ...base,
        type: r.type,
        conversationId: r.conversation_id,
        deviceIds: uuidArray(r.device_ids),
        ...payloadOf(r),
      });
    case 'read':
    case 'join-request':
    case 'account-deleted':
      return fromStored({
        ...base,
        type: r.type,
        conversationId: r.conversation_id,
        ...payloadOf(r),
      });
    default:
      return assertNever(r.type, 'inbox entry type');
  }
}

/** The JSON an entry stores (jsonb: an object from both drivers; text from some). */
function payloadOf(r: Row): object {
  const payload: unknown = typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload;
  return typeof payload === 'object' && payload !== null ? payload : {};
}

/**
 * An entry built from stored JSON, checked against the protocol's schema: the
 * JSON was written by this service, so a mismatch is a server fault (500), not
 * something to hand on to clients.
 */
function fromStored(candidate: unknown): InboxEntry {
  const parsed = inboxEntrySchema.safeParse(candidate);
  if (!parsed.success)
    throw new Error(`A stored inbox entry does not match the protocol: ${parsed.error.message}`);
  return parsed.data;
}
