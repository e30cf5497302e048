// Regenerates docs/benchmarks.md from a stored results file without running the suite:
// `npx tsx bench/render.ts bench/results/<date>.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderMarkdown, throughputChart } from './report/markdown.ts';
import type { BenchResults } from './report/results.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx bench/render.ts bench/results/<date>.json');
  process.exit(2);
}
const results = JSON.parse(readFileSync(resolve(file), 'utf8')) as BenchResults;
writeFileSync(new URL('results/throughput-p99.svg', import.meta.url), throughputChart(results));
writeFileSync(
  new URL('../docs/benchmarks.md', import.meta.url),
  renderMarkdown(results, '../bench/results/throughput-p99.svg'),
);
console.log(`docs/benchmarks.md and bench/results/throughput-p99.svg rendered from ${file}`);
