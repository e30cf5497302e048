import type { BenchResults } from './results.ts';

/**
 * A number for a table cell: thousands separators from 100 up, else up to `digits` decimals; ∞ for
 * lost.
 */
export const num = (v: number | null | undefined, digits = 2): string => {
  if (v === null || v === undefined || !Number.isFinite(v))
    return v === undefined ? '–' : '∞ (lost)';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  // Trailing zeros of the decimals only (10 stays 10).
  return v
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
};

export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The label of a system in this run (its id when unknown). */
export function label(results: BenchResults, id: string): string {
  return results.systems.find((s) => s.id === id)?.label ?? id;
}
