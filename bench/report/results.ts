import type { SystemInfo } from '../systems/types.ts';
import type { ResultRow } from '../scenarios/types.ts';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  os: string;
  node: string;
  /** 1/5/15-minute load averages when the run started and ended (the cores may be shared). */
  loadAverage: { start: number[]; end: number[] };
}

/** The results file, bench/results/<date>.json. */
export interface BenchResults {
  schema: 1;
  startedAt: string;
  durationSeconds: number;
  mode: 'full' | 'quick';
  command: string;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  systems: SystemInfo[];
  /** Systems that could not run, and why (e.g. the rchat platform not reachable). */
  skipped: { system: string; reason: string }[];
  /** Scenarios that failed on a system (the suite went on). */
  failures: { system: string; scenario: string; error: string }[];
  /**
   * Scenario ids and their metrics: `unloaded-latency`, `throughput`, `fixed-rate`, `fanout`
   * (p50/p99/p999/max ms, throughput msg/s, lost); `idle-connections` (KiB and MiB per sample);
   * `auth-rate` (perSecond, p50/p99/p999 ms, percentOfRaw); `history` (p50/p99/p999 ms, throughput
   * pages/s; rchat rows add rawP50/rawP99/rawP999/rawThroughput and p99Ratio); `cold-start`
   * (readyMs, maxMs); `client-crypto` (p50/p99/p999/max ms, samples). Older files simply lack the
   * newer scenarios.
   */
  rows: ResultRow[];
}
