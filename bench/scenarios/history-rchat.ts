import pg from 'pg';
import { now } from '../lib/clock.ts';
import { HttpClient } from '../lib/http-client.ts';
import { medianOf, round, summarize } from '../lib/stats.ts';
import type { RchatScaledDriver } from '../systems/rchat-scaled.ts';
import { historyPages, rowCountLabel, type HistoryPage } from './history-sql.ts';
import { mapLimit } from './sessions.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** Sender device of the seeded messages (any id: no foreign key points at devices). */
const SEEDED_DEVICE = '00000000-0000-4000-8000-00000000be0c';

/** Fills the conversation with `rows` messages of 200 B straight into the chat service's tables. */
async function seed(
  pool: pg.Pool,
  conversationId: string,
  senderUserId: string,
  rows: number,
): Promise<number> {
  const t = now();
  await pool.query(
    `INSERT INTO messages (conversation_id, seq, id, sender_user_id, sender_device_id, txn_id, ciphertext, epoch, created_at)
     SELECT $1, g, gen_random_uuid(), $2, $3, 'seed-' || g, decode(repeat('78', 200), 'hex'), 0, now() - ($4 - g) * interval '1 second'
     FROM generate_series(1, $4::bigint) AS g`,
    [conversationId, senderUserId, SEEDED_DEVICE, rows],
  );
  await pool.query(
    'UPDATE conversations SET last_seq = $2, last_activity_at = now() WHERE id = $1',
    [conversationId, rows],
  );
  await pool.query('VACUUM ANALYZE messages');
  return (now() - t) / 1000;
}

/** The page query the chat service issues (all columns, keyset on seq, newest first). */
const PAGE_SQL = `SELECT conversation_id, seq, id, sender_user_id, sender_device_id, txn_id, ciphertext, created_at, epoch
  FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`;

const WARMUP_QUERIES = 5;

/**
 * Sequential latencies of `queries` calls (after a few untimed ones), then pages/s with
 * `concurrency` clients.
 */
async function measure(
  queries: number,
  concurrency: number,
  one: () => Promise<void>,
): Promise<Record<string, number>> {
  for (let i = 0; i < WARMUP_QUERIES; i += 1) await one();
  const sequential: number[] = [];
  for (let i = 0; i < queries; i += 1) {
    const t = now();
    await one();
    sequential.push(now() - t);
  }
  const t = now();
  await mapLimit(Array.from({ length: queries }), concurrency, one);
  const s = summarize(sequential);
  return {
    p50: s.p50,
    p99: s.p99,
    p999: s.p999,
    max: s.max,
    throughput: (queries * 1000) / (now() - t),
  };
}

/**
 * Scenario 7, rchat side: GET /conversations/:id/messages on the scaled-out
 * chat service over a conversation seeded with SQL, against the same page
 * query sent straight to the same table (the ratio is of p99s).
 */
export async function historyRchat(
  ctx: ScenarioContext,
  driver: RchatScaledDriver,
): Promise<ResultRow[]> {
  const { rows: total, pageSize, queries, concurrency } = ctx.config.history;
  const client = driver.client();
  const [owner, peer] = await client.users('h', 2);
  if (owner === undefined || peer === undefined) throw new Error('history: users missing');
  const headers = { authorization: `Bearer ${await client.token(owner, 0)}` };
  const http = new HttpClient(client.routes.chat, { maxSockets: concurrency });
  const pool = new pg.Pool({ connectionString: driver.chatDatabaseUrl, max: concurrency });
  const out: ResultRow[] = [];
  try {
    const conversation = await http.json<{ id: string }>(
      'POST',
      '/conversations',
      { peer: client.userId(peer) },
      [200, 201],
      headers,
    );
    ctx.log(`  seeding ${total} messages into the chat database`);
    const seedSeconds = await seed(pool, conversation.id, client.userId(owner), total);
    driver.info.settings.historySeedSeconds = round(seedSeconds, 1);
    const path = `/conversations/${encodeURIComponent(conversation.id)}/messages`;
    for (const page of historyPages(total, pageSize)) {
      const reps: Record<string, number>[] = [];
      for (let rep = 0; rep < ctx.config.reps; rep += 1) {
        const raw = await measure(queries, concurrency, async () => {
          const r = await pool.query({
            name: 'chat-page',
            text: PAGE_SQL,
            values: [conversation.id, page.before(), pageSize],
          });
          if (r.rowCount !== pageSize) throw new Error(`raw page returned ${r.rowCount} rows`);
        });
        const api = await measure(queries, concurrency, () =>
          httpPage(http, path, page, pageSize, total, headers),
        );
        reps.push({
          ...api,
          rawP50: raw.p50 ?? Number.NaN,
          rawP99: raw.p99 ?? Number.NaN,
          rawP999: raw.p999 ?? Number.NaN,
          rawThroughput: raw.throughput ?? Number.NaN,
        });
      }
      const metrics = Object.fromEntries(
        Object.entries(medianOf(reps)).map(([k, v]) => [k, round(v)]),
      );
      metrics.p99Ratio = round((metrics.p99 ?? Number.NaN) / (metrics.rawP99 ?? Number.NaN), 2);
      ctx.log(
        `  history ${page.variant}: p99 ${metrics.p99} ms vs raw SQL ${metrics.rawP99} ms (${metrics.p99Ratio}×)`,
      );
      out.push({
        scenario: 'history',
        system: driver.info.id,
        variant: page.variant,
        metrics,
        reps: reps.length,
        notes: [`${rowCountLabel(total)} messages seeded with SQL`],
      });
    }
  } finally {
    await http.close();
    await pool.end();
  }
  return out;
}

async function httpPage(
  http: HttpClient,
  path: string,
  page: HistoryPage,
  pageSize: number,
  total: number,
  headers: Record<string, string>,
): Promise<void> {
  const before = page.before();
  const query = before > total ? `?limit=${pageSize}` : `?limit=${pageSize}&before=${before}`;
  const body = await http.json<{ messages: unknown[] }>(
    'GET',
    `${path}${query}`,
    undefined,
    [200],
    headers,
  );
  if (body.messages.length !== pageSize)
    throw new Error(`history page returned ${body.messages.length} messages`);
}
