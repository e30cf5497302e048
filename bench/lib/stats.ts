/** Percentiles and medians over latency samples (milliseconds). */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  // Infinity (lost messages) is a valid, sortable value; only NaN is dropped.
  const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1
    ? (finite[mid] ?? Number.NaN)
    : ((finite[mid - 1] ?? 0) + (finite[mid] ?? 0)) / 2;
}

/** Median of each numeric field across repetitions. */
export function medianOf<T extends Record<string, number>>(reps: readonly T[]): T {
  const first = reps[0];
  if (first === undefined) throw new Error('medianOf: no repetitions');
  const out: Record<string, number> = {};
  for (const key of Object.keys(first)) out[key] = median(reps.map((r) => r[key] ?? Number.NaN));
  return out as T;
}

/** Rounds to 3 significant decimals so the results file stays compact. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
