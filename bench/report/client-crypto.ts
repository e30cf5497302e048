import { label, num, table } from './format.ts';
import type { BenchResults } from './results.ts';

export function clientCryptoSection(results: BenchResults): string[] {
  const rows = results.rows.filter((r) => r.scenario === 'client-crypto');
  if (rows.length === 0) return [];
  return [
    '## 9. Client crypto (MLS)',
    '',
    "The project's own `@rchat/crypto` (MLS, RFC 9420, suite 1), the same code in Node.js and bundled into a page in headless Chromium (Debian's). " +
      'Per message: a text envelope encrypted by one device of a two-person group, then decrypted by the other (after 10 untimed messages). ' +
      "Adding a user with 10 devices to a fresh two-person group: the committer's `addMembers` + `confirmCommit`, the other member applying the commit, and one added device joining from the Welcome. " +
      "Chromium's timer is coarsened to 0.1 ms.",
    '',
    table(
      ['client', 'operation', 'p50 ms', 'p99 ms', 'p99.9 ms', 'samples per run'],
      rows.map((r) => [
        label(results, r.system),
        r.variant,
        num(r.metrics.p50),
        num(r.metrics.p99),
        num(r.metrics.p999),
        num(r.metrics.samples, 0),
      ]),
    ),
    '',
  ];
}
