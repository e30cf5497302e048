import type { Counter } from 'prom-client';
import { env } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * One kind of garbage a service deletes: `run` deletes all of it as of `now`,
 * in bounded batches, and answers how many rows went; it stops between
 * batches once `stop` is aborted (the service is closing).
 */
export interface RetentionTask {
  /** What is deleted, e.g. `expired-link-sessions` (a metric label and a log field). */
  kind: string;
  run(now: Date, stop: AbortSignal): Promise<number>;
}

export interface RetentionOptions {
  /** Service name (a metric label). */
  service: string;
  /** Time between runs; 0 turns the schedule off (`runOnce` still works). */
  intervalMs: number;
  tasks: readonly RetentionTask[];
  logger: Logger;
  /** The clock the tasks see (tests move it forward instead of waiting). */
  now?: () => Date;
  /** Delay of the first run after `start` (default: a minute, or the interval if shorter). */
  firstRunMs?: number;
}

/** Rows deleted per task kind by one run. */
export type RetentionReport = Record<string, number>;

/** Settings of scheduled retention that every service with a database shares. */
export const retentionConfigShape = {
  RETENTION_INTERVAL_SECONDS: env
    .int(3_600, 0, 7 * 86_400)
    .describe(
      'Seconds between runs of the scheduled cleanup of expired data (see docs/operations.md, Retention); 0 turns it off.',
    ),
  RETENTION_BATCH_SIZE: env
    .int(1_000, 1, 100_000)
    .describe(
      'Most rows one cleanup statement deletes (short statements hold few locks; a run goes on batch by batch).',
    ),
};

const counterName = 'rchat_retention_deleted_total';

/**
 * Runs a service's retention tasks every `intervalMs`: a run starts only
 * after the previous one ended (a timeout chain, not an interval), its
 * timers do not keep the process alive, and `stop` waits for a run in
 * progress. Tasks must be idempotent and delete in short bounded batches,
 * so two instances of a scaled-out service may run at the same time.
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;
  private readonly stopping = new AbortController();
  private deleted: Counter | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: RetentionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.stopping.signal.aborted) return;
    this.schedule(this.options.firstRunMs ?? Math.min(60_000, this.options.intervalMs));
  }

  /**
   * Counts deleted rows in `rchat_retention_deleted_total{service,kind}` (one counter per registry,
   * shared by services in one process).
   */
  observe(metrics: Metrics): void {
    const existing = metrics.registry.getSingleMetric(counterName) as Counter | undefined;
    this.deleted =
      existing ??
      (metrics.counter(counterName, 'Rows deleted by scheduled retention, by service and kind.', [
        'service',
        'kind',
      ]) as Counter);
  }

  /**
   * Runs every task once now (or joins the run in progress); a failing task is logged and the
   * others still run.
   */
  runOnce(): Promise<RetentionReport> {
    this.running ??= this.runTasks().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => {
        if (!this.stopping.signal.aborted) this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async runTasks(): Promise<RetentionReport> {
    const { service, logger } = this.options;
    const now = this.now();
    const report: RetentionReport = {};
    for (const task of this.options.tasks) {
      if (this.stopping.signal.aborted) break;
      try {
        const n = await task.run(now, this.stopping.signal);
        report[task.kind] = n;
        if (n > 0) this.deleted?.inc({ service, kind: task.kind }, n);
      } catch (err) {
        logger.error({ err, kind: task.kind }, 'retention task failed; the next run tries again');
      }
    }
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    if (total > 0) logger.info({ deleted: report }, 'retention deleted expired data');
    else logger.debug('retention found nothing to delete');
    return report;
  }
}

/**
 * Calls `deleteBatch` (which deletes at most `batchSize` rows in its own
 * short statement and answers how many) until a batch comes back short or
 * `stop` is aborted, so no statement holds locks on many rows and a closing
 * service waits for one batch at most; answers the total.
 */
export async function deleteInBatches(
  deleteBatch: (batchSize: number) => Promise<number>,
  batchSize: number,
  stop?: AbortSignal,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch(batchSize);
    total += n;
    if (n < batchSize || stop?.aborted) return total;
  }
}
