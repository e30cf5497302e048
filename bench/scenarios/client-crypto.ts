import { runInChromium } from '../crypto/chromium.ts';
import {
  runMlsWorkload,
  type MlsWorkloadOptions,
  type MlsWorkloadTimings,
} from '../crypto/mls-workload.ts';
import { medianOf, round, summarize } from '../lib/stats.ts';
import { packageVersion } from '../lib/versions.ts';
import type { SystemInfo } from '../systems/types.ts';
import type { BenchConfig, ResultRow } from './types.ts';

const OPERATIONS: { key: keyof MlsWorkloadTimings; variant: (o: MlsWorkloadOptions) => string }[] =
  [
    { key: 'encrypt', variant: (o) => `encrypt one message (${o.textBytes} B text)` },
    { key: 'decrypt', variant: (o) => `decrypt one message (${o.textBytes} B text)` },
    { key: 'add', variant: (o) => `add a ${o.devices}-device user (committer: commit + Welcome)` },
    { key: 'applyAdd', variant: () => 'apply that commit (another member)' },
    { key: 'join', variant: () => 'join from the Welcome (one added device)' },
  ];

function clientInfo(id: string, label: string, version: string): SystemInfo {
  return {
    id,
    label,
    kind: 'ceiling',
    version,
    persisted: false,
    delivery: 'ack',
    settings: {
      library: `@rchat/crypto on ts-mls ${packageVersion('ts-mls')}`,
      cipherSuite: 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (1)',
    },
  };
}

/** One row per operation: percentiles per repetition, medians across repetitions. */
function rowsOf(
  system: string,
  options: MlsWorkloadOptions,
  reps: MlsWorkloadTimings[],
): ResultRow[] {
  return OPERATIONS.map(({ key, variant }) => {
    const perRep = reps.map((r) => {
      const s = summarize(r[key]);
      return { p50: s.p50, p99: s.p99, p999: s.p999, max: s.max, samples: s.count };
    });
    const metrics = Object.fromEntries(
      Object.entries(medianOf(perRep)).map(([k, v]) => [k, round(v)]),
    );
    return {
      scenario: 'client-crypto',
      system,
      variant: variant(options),
      metrics,
      reps: reps.length,
    };
  });
}

/**
 * Scenario 9: MLS client work per message and per added 10-device user, in Node.js and in Chromium.
 */
export async function clientCrypto(
  config: BenchConfig,
  log: (m: string) => void,
): Promise<{
  rows: ResultRow[];
  systems: SystemInfo[];
  skipped: { system: string; reason: string }[];
}> {
  const options = config.crypto;
  const rows: ResultRow[] = [];
  const systems: SystemInfo[] = [];
  const skipped: { system: string; reason: string }[] = [];
  const report = (system: string, reps: MlsWorkloadTimings[]): void => {
    const out = rowsOf(system, options, reps);
    rows.push(...out);
    log(
      `  client-crypto ${system}: ${out.map((r) => `${r.variant.split(' (')[0] ?? ''} p50 ${r.metrics.p50} ms`).join(', ')}`,
    );
  };

  const nodeReps: MlsWorkloadTimings[] = [];
  for (let rep = 0; rep < config.reps; rep += 1) nodeReps.push(await runMlsWorkload(options));
  systems.push(clientInfo('crypto-node', 'client crypto, Node.js', `Node.js ${process.version}`));
  report('crypto-node', nodeReps);

  try {
    const chromium = await runInChromium(options, config.reps);
    systems.push(
      clientInfo('crypto-chromium', 'client crypto, Chromium (headless)', chromium.version),
    );
    report('crypto-chromium', chromium.timings);
  } catch (e) {
    skipped.push({ system: 'crypto-chromium', reason: (e as Error).message });
    log(`  client-crypto in Chromium skipped: ${(e as Error).message}`);
  }
  return { rows, systems, skipped };
}
