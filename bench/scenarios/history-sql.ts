import pg from 'pg';
import { now } from '../lib/clock.ts';
import { MESSAGES_DDL, benchDbUrl, ensureBenchDatabase, pgSettings } from '../lib/pg.ts';
import { medianOf, round, summarize } from '../lib/stats.ts';
import { mapLimit } from './sessions.ts';
import type { SystemInfo } from '../systems/types.ts';
import type { BenchConfig, ResultRow } from './types.ts';

const CONVERSATION = 1;

/**
 * One table per row count, so a quick run does not refill the full run's 1M rows (kept between
 * runs).
 */
const tableFor = (rows: number): string =>
  rows === 1_000_000 ? 'bench_history' : `bench_history_${rows}`;

/** `1M`, `10k`: row counts in variant names. */
export const rowCountLabel = (rows: number): string =>
  rows >= 1e6 ? `${rows / 1e6}M` : rows >= 1e3 ? `${rows / 1e3}k` : String(rows);

export interface HistoryPage {
  variant: string;
  /** The keyset bound of the next query (`seq < before`); above the newest for the latest page. */
  before: () => number;
}

/** The pages both sides of scenario 7 read: the latest, a deep one and a random one. */
export function historyPages(total: number, pageSize: number): HistoryPage[] {
  return [
    { variant: `latest page (${pageSize})`, before: () => total + 1 },
    {
      variant: `deep keyset page (seq < 1k of ${rowCountLabel(total)})`,
      before: () => 1000 + Math.floor(Math.random() * 1000),
    },
    {
      variant: 'random keyset page',
      before: () => pageSize + 1 + Math.floor(Math.random() * (total - pageSize)),
    },
  ];
}

/** Fills one conversation with `rows` messages of ~200 B (kept between runs when already there). */
async function ensureHistory(
  pool: pg.Pool,
  rows: number,
  log: (m: string) => void,
): Promise<number> {
  const table = tableFor(rows);
  await pool.query(MESSAGES_DDL(table));
  const have = await pool.query<{ n: string | null }>(
    `SELECT max(seq)::text AS n FROM ${table} WHERE conversation_id = $1`,
    [CONVERSATION],
  );
  if (Number(have.rows[0]?.n ?? 0) === rows) return 0;
  const t = now();
  log(`  populating ${rows} messages in ${table} (once; kept for later runs)`);
  await pool.query(`TRUNCATE ${table}`);
  await pool.query(
    `INSERT INTO ${table} (conversation_id, seq, sender, body, created_at)
     SELECT $1, g, g % 2, decode(repeat('78', 200), 'hex'), now() - ($2 - g) * interval '1 second'
     FROM generate_series(1, $2::bigint) AS g`,
    [CONVERSATION, rows],
  );
  await pool.query(`VACUUM ANALYZE ${table}`);
  return (now() - t) / 1000;
}

const pageSql = (table: string): string =>
  `SELECT seq, sender, body, created_at FROM ${table} WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`;

/** Scenario 7, raw SQL side: keyset pages (newest first) over 1M stored messages. */
export async function historySql(
  config: BenchConfig,
  log: (m: string) => void,
): Promise<{ rows: ResultRow[]; info: SystemInfo }> {
  await ensureBenchDatabase();
  const { rows: total, pageSize, queries, concurrency } = config.history;
  const pool = new pg.Pool({ connectionString: benchDbUrl(), max: concurrency });
  const settings = await pgSettings(pool);
  const info: SystemInfo = {
    id: 'pg-sql',
    label: 'raw PostgreSQL keyset pages (ceiling)',
    kind: 'ceiling',
    version: `PostgreSQL ${settings.server_version ?? '?'}`,
    persisted: true,
    delivery: 'ack',
    settings: {
      table: `${tableFor(total)}(conversation_id, seq, sender, body bytea, created_at), PK (conversation_id, seq)`,
      rows: total,
      pageSize,
      concurrency,
      ...settings,
    },
  };
  delete info.settings.server_version;
  const out: ResultRow[] = [];
  try {
    const populateSeconds = await ensureHistory(pool, total, log);
    if (populateSeconds > 0) info.settings.populateSeconds = round(populateSeconds, 1);
    for (const page of historyPages(total, pageSize)) {
      const reps: Record<string, number>[] = [];
      for (let rep = 0; rep < config.reps; rep += 1) {
        const query = async (): Promise<number> => {
          const t = now();
          const r = await pool.query({
            name: 'page',
            text: pageSql(tableFor(total)),
            values: [CONVERSATION, page.before(), pageSize],
          });
          if (r.rowCount !== pageSize) throw new Error(`page returned ${r.rowCount} rows`);
          return now() - t;
        };
        const sequential: number[] = [];
        for (let i = 0; i < queries; i += 1) sequential.push(await query());
        const t = now();
        await mapLimit(Array.from({ length: queries }), concurrency, () => query());
        const s = summarize(sequential);
        reps.push({
          p50: s.p50,
          p99: s.p99,
          p999: s.p999,
          max: s.max,
          throughput: (queries * 1000) / (now() - t),
        });
      }
      const metrics = Object.fromEntries(
        Object.entries(medianOf(reps)).map(([k, v]) => [k, round(v)]),
      );
      log(
        `  history ${page.variant}: p50 ${metrics.p50} ms, p99 ${metrics.p99} ms, ${Math.round(metrics.throughput ?? 0)} pages/s at ${concurrency} clients`,
      );
      out.push({
        scenario: 'history',
        system: info.id,
        variant: page.variant,
        metrics,
        reps: reps.length,
      });
    }
  } finally {
    await pool.end();
  }
  return { rows: out, info };
}
