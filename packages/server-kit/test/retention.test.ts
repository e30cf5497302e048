import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  createMetrics,
  deleteInBatches,
  RetentionSchedule,
  type RetentionTask,
} from '../src/index.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
afterEach(() => {
  vi.useRealTimers();
});

describe('RetentionSchedule', () => {
  it('runs its tasks with its clock on the interval, one run at a time, counts deletions, and stops for good', async () => {
    vi.useFakeTimers();
    const seen: Date[] = [];
    const clock = new Date('2030-01-01T00:00:00Z');
    const tasks: RetentionTask[] = [
      { kind: 'broken', run: () => Promise.reject(new Error('database away')) },
      {
        kind: 'things',
        run: async (now) => {
          seen.push(now);
          return 3;
        },
      },
    ];
    const schedule = new RetentionSchedule({
      service: 'test',
      intervalMs: 60_000,
      firstRunMs: 1_000,
      tasks,
      logger,
      now: () => clock,
    });
    const metrics = createMetrics();
    schedule.observe(metrics);
    schedule.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([clock]); // the failing task did not stop the other
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(2);
    expect(
      await metrics.registry.getSingleMetricAsString('rchat_retention_deleted_total'),
    ).toContain('rchat_retention_deleted_total{service="test",kind="things"} 6');
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(seen).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an interval of 0 schedules nothing; runOnce still runs, and a second call joins the run in progress', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const schedule = new RetentionSchedule({
      service: 'test',
      intervalMs: 0,
      logger,
      tasks: [{ kind: 'slow', run: () => new Promise<number>((r) => (release = () => r(++runs))) }],
    });
    schedule.start();
    const [a, b] = [schedule.runOnce(), schedule.runOnce()];
    release();
    expect(await a).toEqual({ slow: 1 });
    expect(await b).toEqual({ slow: 1 });
    await schedule.stop();
  });

  it('two services in one process share the counter', () => {
    const metrics = createMetrics();
    const make = (service: string) =>
      new RetentionSchedule({ service, intervalMs: 0, logger, tasks: [] });
    make('users').observe(metrics);
    expect(() => make('chat').observe(metrics)).not.toThrow();
  });
});

describe('deleteInBatches', () => {
  it('goes on while batches come back full, and answers the total', async () => {
    const left = [5];
    const sizes: number[] = [];
    const total = await deleteInBatches(async (limit) => {
      const n = Math.min(limit, left[0] ?? 0);
      left[0] = (left[0] ?? 0) - n;
      sizes.push(n);
      return n;
    }, 2);
    expect([total, sizes]).toEqual([5, [2, 2, 1]]);
  });

  it('stops after the batch in progress once the service closes', async () => {
    const stop = new AbortController();
    let batches = 0;
    const total = await deleteInBatches(
      async (limit) => {
        if (++batches === 2) stop.abort();
        return limit;
      },
      10,
      stop.signal,
    );
    expect([total, batches]).toEqual([20, 2]);
  });
});
