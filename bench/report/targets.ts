import { headlineTargets } from './headline-targets.ts';
import type { ResultRow } from '../scenarios/types.ts';
import { label, num, table } from './format.ts';
import type { BenchResults } from './results.ts';

/** A target of the benchmark issue: reported, never asserted. */
interface Target {
  text: string;
  /** The measured figure of a row, in the target's unit. */
  value: (row: ResultRow) => number | undefined;
  limit: (row: ResultRow) => number;
  better: 'higher' | 'lower';
  unit: string;
}

const isService = (row: ResultRow): boolean => row.system === 'rchat-scaled';

export const TARGETS: Record<'auth' | 'history' | 'coldStart', Target> = {
  auth: {
    text: '≥ 80% of the raw argon2id rate',
    value: (r) => r.metrics.percentOfRaw,
    limit: () => 80,
    better: 'higher',
    unit: '%',
  },
  history: {
    text: 'p99 ≤ 2× raw SQL',
    value: (r) => r.metrics.p99Ratio,
    limit: () => 2,
    better: 'lower',
    unit: '×',
  },
  coldStart: {
    text: '≤ 1 s per service, ≤ 3 s for the whole stack',
    value: (r) => r.metrics.readyMs,
    limit: (r) => (isService(r) ? 1000 : 3000),
    better: 'lower',
    unit: ' ms',
  },
};

/** `met (76% ≥ 80%)`-style verdict of one row against a target. */
export function verdict(target: Target, row: ResultRow): string {
  const value = target.value(row);
  const limit = target.limit(row);
  if (value === undefined || !Number.isFinite(value)) return 'not measured';
  const met = target.better === 'higher' ? value >= limit : value <= limit;
  return `${met ? 'met' : 'missed'} (${num(value)}${target.unit} ${target.better === 'higher' ? (met ? '≥' : '<') : met ? '≤' : '>'} ${num(limit)}${target.unit})`;
}

function rowsOf(results: BenchResults, scenario: string, system?: string): ResultRow[] {
  return results.rows.filter(
    (r) => r.scenario === scenario && (system === undefined || r.system === system),
  );
}

/** One line per measured figure that has a target. */
export function targetSummary(results: BenchResults): string | undefined {
  const lines: string[][] = headlineTargets(results);
  const add = (title: string, target: Target, rows: ResultRow[]): void => {
    for (const r of rows)
      lines.push([
        title,
        `${label(results, r.system)}: ${r.variant}`,
        target.text,
        verdict(target, r),
      ]);
  };
  add(
    '6. login / registration',
    TARGETS.auth,
    rowsOf(results, 'auth-rate').filter((r) => r.system !== 'argon2-raw'),
  );
  add('7. history page', TARGETS.history, rowsOf(results, 'history', 'rchat-scaled'));
  add('8. cold start', TARGETS.coldStart, rowsOf(results, 'cold-start'));
  if (lines.length === 0) return undefined;
  return table(['scenario', 'figure', 'target', 'where it stands'], lines);
}

export function authSection(results: BenchResults): string[] {
  const rows = rowsOf(results, 'auth-rate');
  if (rows.length === 0) return [];
  return [
    '## 6. Login and registration rate vs raw argon2id',
    '',
    'Registrations, then logins of the same accounts (each a new device), over HTTP, 8 requests in flight: against `npm start` (embedded, PGlite) and against the users service of the scaled-out stack (PostgreSQL; its CPU, in its own processes, is not counted). ' +
      "Before each system, the ceiling hashes the same password with the users service's own hasher (@node-rs/argon2 `hash()`, parameters read from the users config the platform ran with) in the load generator's process, as many in flight. " +
      "CPU per operation is read from /proc: every thread of the server process(es) for rchat (the hash runs on libuv's thread pool, the rest on the main thread), " +
      "this process for the raw hash; the client column is the load generator's own CPU while it drove rchat over HTTP (it shares the two cores). " +
      `Target: ${TARGETS.auth.text}.`,
    '',
    table(
      [
        'system',
        'operation',
        'per second',
        '% of raw',
        'target',
        'server CPU ms/op',
        'client CPU ms/op',
        'p50 ms',
        'p99 ms',
        'p99.9 ms',
        'notes',
      ],
      rows.map((r) => {
        const rchat = r.system !== 'argon2-raw';
        const cells = [
          num(r.metrics.perSecond, 1),
          rchat ? num(r.metrics.percentOfRaw, 1) : '100',
          rchat ? verdict(TARGETS.auth, r) : 'ceiling',
          num(r.metrics.cpuMsPerOp),
          num(r.metrics.clientCpuMsPerOp),
          num(r.metrics.p50),
          num(r.metrics.p99),
          num(r.metrics.p999),
        ];
        return [label(results, r.system), r.variant, ...cells, (r.notes ?? []).join('; ')];
      }),
    ),
    '',
  ];
}

export function historySection(results: BenchResults): string[] {
  const raw = rowsOf(results, 'history', 'pg-sql');
  const rchat = rowsOf(results, 'history', 'rchat-scaled');
  if (raw.length + rchat.length === 0) return [];
  const out: string[] = ['## 7. History pages', ''];
  if (rchat.length > 0) {
    out.push(
      'The scaled-out chat service (PostgreSQL) with one conversation seeded straight into its tables with SQL (`generate_series`, 200 B ciphertexts), then ' +
        '`GET /conversations/:id/messages?limit=50` for the latest page and `&before=` for deep and random keyset pages, against the same page query sent straight to the same table with `pg` ' +
        '(a request adds the bearer-token check, the membership query and JSON). Latencies: one client, sequential; pages/s: 8 concurrent clients. ' +
        `Target: ${TARGETS.history.text}.`,
      '',
      table(
        [
          'page',
          'rchat p50 ms',
          'rchat p99 ms',
          'rchat p99.9 ms',
          'raw SQL p50 ms',
          'raw SQL p99 ms',
          'p99 ratio',
          'target',
          'rchat pages/s',
          'raw pages/s',
          'notes',
        ],
        rchat.map((r) => [
          r.variant,
          num(r.metrics.p50, 3),
          num(r.metrics.p99, 3),
          num(r.metrics.p999, 3),
          num(r.metrics.rawP50, 3),
          num(r.metrics.rawP99, 3),
          `${num(r.metrics.p99Ratio)}×`,
          verdict(TARGETS.history, r),
          num(r.metrics.throughput, 0),
          num(r.metrics.rawThroughput, 0),
          (r.notes ?? []).join('; '),
        ]),
      ),
      '',
    );
  }
  if (raw.length > 0) {
    out.push(
      ...(rchat.length > 0 ? ['Raw SQL ceiling on a minimal table of its own:', ''] : []),
      'Keyset pagination (`WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 50`) on the primary key of a minimal table, kept between runs. Latencies: one client, sequential. pages/s: 8 concurrent clients.',
      '',
      table(
        ['system', 'page', 'p50 ms', 'p99 ms', 'p99.9 ms', 'pages/s (8 clients)'],
        raw.map((r) => [
          label(results, r.system),
          r.variant,
          num(r.metrics.p50, 3),
          num(r.metrics.p99, 3),
          num(r.metrics.p999, 3),
          num(r.metrics.throughput, 0),
        ]),
      ),
      '',
    );
  }
  return out;
}

export function coldStartSection(results: BenchResults): string[] {
  const rows = rowsOf(results, 'cold-start');
  if (rows.length === 0) return [];
  return [
    '## 8. Cold start to /readyz',
    '',
    "From spawning the process to the first 200 from `GET /readyz` (polled every 10 ms). Each service alone, as scaled out: its own `services/<name>/src/main.ts` process, run as scripts/cluster runs it (see the scaled-out system's `command` setting), " +
      'on a fresh PostgreSQL database (its migrations run) and NATS, started one after another so nothing else is starting; delivery needs users and chat running. ' +
      'The whole stack in one process (embedded PGlite, in-process bus) on a fresh `DATA_DIR`. ' +
      `Target: ${TARGETS.coldStart.text}.`,
    '',
    table(
      ['system', 'what starts', 'ready ms (median)', 'slowest ms', 'target', 'runs', 'notes'],
      rows.map((r) => [
        label(results, r.system),
        r.variant,
        num(r.metrics.readyMs, 0),
        num(r.metrics.maxMs, 0),
        verdict(TARGETS.coldStart, r),
        String(r.reps),
        (r.notes ?? []).join('; '),
      ]),
    ),
    '',
  ];
}
