import type { ResultRow } from '../scenarios/types.ts';
import { label, num } from './format.ts';
import type { BenchResults } from './results.ts';

const find = (
  results: BenchResults,
  scenario: string,
  system: string,
  variant: string,
): ResultRow | undefined =>
  results.rows.find((r) => r.scenario === scenario && r.system === system && r.variant === variant);

const THROUGHPUT = '8 pairs × 8 in flight, 200 B';
const FIXED = '2000 msg/s, 200 B';
const FANOUT = '1 user × 3 devices, 200 B';
/** The embedded platform, then the scaled-out stack. */
const RCHAT_SYSTEMS = ['rchat', 'rchat-scaled'] as const;

/**
 * The issue's headline targets (1:1 throughput, latency at 2,000 msg/s, fan-out, idle memory), as
 * table rows.
 */
export function headlineTargets(results: BenchResults): string[][] {
  const lines: string[][] = [];
  const ejabberd = find(results, 'throughput', 'ejabberd-persisted', THROUGHPUT)?.metrics
    .throughput;
  const pg = find(results, 'throughput', 'pg-insert', THROUGHPUT)?.metrics.throughput;
  for (const system of RCHAT_SYSTEMS) {
    const row = find(results, 'throughput', system, THROUGHPUT);
    if (!row) continue;
    const tput = row.metrics.throughput ?? Number.NaN;
    const figure = `${label(results, system)}: ${THROUGHPUT}`;
    if (ejabberd !== undefined)
      lines.push([
        '2. 1:1 throughput',
        figure,
        '≥ ejabberd with archiving',
        `${tput >= ejabberd ? 'met' : 'missed'} (${num(tput)} vs ${num(ejabberd)} msg/s)`,
      ]);
    if (pg !== undefined)
      lines.push([
        '2. 1:1 throughput',
        figure,
        '≥ 50% of the raw PostgreSQL insert ceiling',
        `${tput >= pg / 2 ? 'met' : 'missed'} (${num((100 * tput) / pg, 1)}% of ${num(pg)} msg/s)`,
      ]);
  }
  for (const system of RCHAT_SYSTEMS) {
    const fixed = find(results, 'fixed-rate', system, FIXED);
    if (!fixed) continue;
    const p99 = fixed.metrics.p99;
    lines.push([
      '3. fixed load',
      `${label(results, system)}: ${FIXED}`,
      'p99 send→deliver ≤ 5 ms',
      fixed.metrics.saturated
        ? 'missed (saturated: could not keep up with the offered rate)'
        : `${(p99 ?? Infinity) <= 5 ? 'met' : 'missed'} (p99 ${num(p99 ?? Number.NaN)} ms)`,
    ]);
  }
  const relay = find(results, 'fanout', 'sse-relay', FANOUT)?.metrics.p99;
  for (const system of RCHAT_SYSTEMS) {
    const row = find(results, 'fanout', system, FANOUT);
    if (!row || relay === undefined) continue;
    const ratio = (row.metrics.p99 ?? Number.NaN) / relay;
    lines.push([
      '4. fan-out',
      `${label(results, system)}: ${FANOUT} (at ${num(row.metrics.throughput ?? Number.NaN)} deliveries/s, not 20k)`,
      'p99 ≤ 2× the raw SSE relay',
      `${ratio <= 2 ? 'met' : 'missed'} (${num(ratio, 1)}×)`,
    ]);
  }
  const idle = (system: string) =>
    results.rows.find((r) => r.scenario === 'idle-connections' && r.system === system)?.metrics[
      'kibPerConn@60s'
    ];
  const [mine, sse, prosody] = [idle('rchat'), idle('sse-relay'), idle('prosody-relay')];
  if (mine !== undefined && sse !== undefined) {
    lines.push([
      '5. idle connections',
      `${label(results, 'rchat')}: KiB per SSE connection at 60 s`,
      '≤ 2× the raw SSE relay, and below Prosody',
      `${mine <= 2 * sse && (prosody === undefined || mine < prosody) ? 'met' : 'missed'} (${num(mine, 1)} KiB vs relay ${num(sse, 1)}${prosody === undefined ? '' : `, Prosody ${num(prosody, 1)}`})`,
    ]);
  }
  return lines;
}
