import { medianOf, round, summarize } from '../lib/stats.ts';
import type { LoopResult } from './loops.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** Latency percentiles (lost messages count as infinitely late), throughput and loss of one run. */
export function loopMetrics(result: LoopResult): Record<string, number> {
  const samples =
    result.lost > 0
      ? [...result.samples, ...new Array<number>(result.lost).fill(Number.POSITIVE_INFINITY)]
      : result.samples;
  const s = summarize(samples);
  return {
    p50: s.p50,
    p99: s.p99,
    p999: s.p999,
    max: s.max,
    throughput: result.windowMs > 0 ? (result.completed * 1000) / result.windowMs : 0,
    samples: s.count,
    lost: result.lost,
  };
}

/** Runs `once` `ctx.config.reps` times and reports the median of every metric. */
export async function repeated(
  ctx: ScenarioContext,
  scenario: string,
  variant: string,
  once: () => Promise<Record<string, number> & { stalled?: number; saturated?: number }>,
): Promise<ResultRow> {
  const reps: Record<string, number>[] = [];
  const notes: string[] = [];
  let stalled = 0;
  let saturated = 0;
  for (let rep = 0; rep < ctx.config.reps; rep += 1) {
    const metrics = await once();
    if ((metrics.stalled ?? 0) > 0) stalled += 1;
    if ((metrics.saturated ?? 0) > 0) saturated += 1;
    reps.push(metrics);
    // A stalled or saturated system stays so: more repetitions only cost time.
    if (stalled + saturated > 0) break;
  }
  if (stalled > 0) notes.push(`no progress for 5 s in ${stalled}/${reps.length} reps`);
  if (saturated > 0)
    notes.push(
      `saturated in ${saturated}/${reps.length} reps (offering stopped at 0.5 s of backlog)`,
    );
  const errors = ctx.driver.takeErrors();
  if (errors.length > 0)
    notes.push(
      `client errors: ${errors.slice(0, 3).join(' | ')}${errors.length > 3 ? ` (+${errors.length - 3})` : ''}`,
    );
  const med = medianOf(reps);
  const metrics = Object.fromEntries(Object.entries(med).map(([k, v]) => [k, round(v)]));
  ctx.log(
    `  ${scenario} ${variant}: p50 ${metrics.p50 ?? '-'} ms, p99 ${metrics.p99 ?? '-'} ms, ${Math.round(metrics.throughput ?? 0)} msg/s${notes.length > 0 ? ` [${notes.join('; ')}]` : ''}`,
  );
  return {
    scenario,
    system: ctx.driver.info.id,
    variant,
    metrics,
    reps: reps.length,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
