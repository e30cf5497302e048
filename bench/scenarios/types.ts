import type { SystemDriver } from '../systems/types.ts';

/** Counts and durations for one run of the suite (`--quick` shrinks them). */
export interface BenchConfig {
  quick: boolean;
  reps: number;
  sizes: number[];
  unloaded: { messages: number; warmup: number; maxMs: number };
  throughput: {
    warmupMs: number;
    measureMs: number;
    shapes: { pairs: number; inflight: number }[];
    sizes: number[];
  };
  fixedRate: {
    rates: number[];
    pairs: number;
    durationMs: number;
    drainMs: number;
    settleMaxMs: number;
    size: number;
  };
  fanout: { devices: number; messages: number; size: number };
  /** `settleMs`: pause after provisioning before the baseline RSS is read. */
  idle: { connections: number; settleMs: number; sampleAtMs: number[] };
  history: { rows: number; pageSize: number; queries: number; concurrency: number };
  /** Registrations, logins and raw hashes per repetition, and how many in flight. */
  auth: { accounts: number; concurrency: number };
  crypto: { messages: number; textBytes: number; adds: number; devices: number };
  /**
   * Scenario 8: whether it also times the whole `npm start` (with prestart), and whether it may
   * take its samples from the suite's own starts of the rchat systems instead of starting them
   * again.
   */
  coldStart: { npmStart: boolean; reuseSuiteStarts: boolean };
}

export function benchConfig(quick: boolean): BenchConfig {
  return quick
    ? {
        quick,
        reps: 1,
        sizes: [200, 4096],
        unloaded: { messages: 200, warmup: 20, maxMs: 1500 },
        // 16 pairs instead of 64: fewer accounts to register (password hashing dominates a quick
        // run).
        throughput: {
          warmupMs: 200,
          measureMs: 600,
          shapes: [
            { pairs: 8, inflight: 8 },
            { pairs: 16, inflight: 1 },
          ],
          sizes: [200],
        },
        // 500 and 2,000 msg/s only: the quick run stays under 2 minutes.
        fixedRate: {
          rates: [500, 2000],
          pairs: 16,
          durationMs: 700,
          drainMs: 300,
          settleMaxMs: 2000,
          size: 200,
        },
        fanout: { devices: 3, messages: 50, size: 200 },
        idle: { connections: 200, settleMs: 300, sampleAtMs: [500, 2000] },
        history: { rows: 10_000, pageSize: 50, queries: 50, concurrency: 8 },
        auth: { accounts: 16, concurrency: 8 },
        crypto: { messages: 30, textBytes: 100, adds: 2, devices: 10 },
        coldStart: { npmStart: false, reuseSuiteStarts: true },
      }
    : {
        quick,
        reps: 3,
        sizes: [200, 4096],
        unloaded: { messages: 500, warmup: 50, maxMs: 2500 },
        throughput: {
          warmupMs: 250,
          measureMs: 1000,
          shapes: [
            { pairs: 8, inflight: 8 },
            { pairs: 64, inflight: 1 },
          ],
          sizes: [200, 4096],
        },
        fixedRate: {
          rates: [500, 2000, 5000],
          pairs: 16,
          durationMs: 1500,
          drainMs: 1500,
          settleMaxMs: 10_000,
          size: 200,
        },
        fanout: { devices: 3, messages: 300, size: 200 },
        idle: { connections: 10_000, settleMs: 1000, sampleAtMs: [5000, 60_000] },
        history: { rows: 1_000_000, pageSize: 50, queries: 200, concurrency: 8 },
        auth: { accounts: 64, concurrency: 8 },
        crypto: { messages: 150, textBytes: 100, adds: 4, devices: 10 },
        coldStart: { npmStart: true, reuseSuiteStarts: false },
      };
}

/** One line of a results table: a scenario variant measured on one system. */
export interface ResultRow {
  scenario: string;
  system: string;
  /** e.g. `200 B`, `8 pairs × 8 in flight, 4096 B`, `2000 msg/s`. */
  variant: string;
  /** Medians across repetitions. Latencies in ms, rates per second, memory in KiB. */
  metrics: Record<string, number>;
  reps: number;
  notes?: string[];
}

export interface ScenarioContext {
  driver: SystemDriver;
  config: BenchConfig;
  log: (message: string) => void;
  /**
   * Called by a scenario that from now on only waits (idle connections held
   * for a later memory sample): the suite may go on with the next system.
   */
  background?: () => void;
  /**
   * Awaited by the idle scenario after provisioning, before it connects (the suite holds other
   * connections until then).
   */
  beforeConnect?: () => Promise<void>;
}
