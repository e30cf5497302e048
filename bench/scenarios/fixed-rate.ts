import { openLoop } from './loops.ts';
import { loopMetrics, repeated } from './measure.ts';
import { openPairs } from './sessions.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/**
 * Scenario 3: latency at a fixed offered load (open loop, measured from the scheduled send time).
 */
export async function fixedRate(
  ctx: ScenarioContext,
  router: DeliveryRouter,
): Promise<ResultRow[]> {
  const { rates, pairs, durationMs, drainMs, settleMaxMs, size } = ctx.config.fixedRate;
  const session = await openPairs(ctx.driver, router, pairs);
  const rows: ResultRow[] = [];
  try {
    for (const rate of rates) {
      const previous = rows[rows.length - 1];
      const offeredBefore = ((previous?.metrics.offered ?? 0) * durationMs) / 1000;
      if (
        previous !== undefined &&
        ((previous.metrics.saturated ?? 0) > 0 ||
          (previous.metrics.lost ?? 0) > 0.1 * offeredBefore)
      ) {
        rows.push({
          scenario: 'fixed-rate',
          system: ctx.driver.info.id,
          variant: `${rate} msg/s, ${size} B`,
          metrics: { offered: rate, saturated: 1 },
          reps: 0,
          notes: [
            `not run: saturated (or over 10% lost) at ${previous.metrics.offered ?? '?'} msg/s`,
          ],
        });
        continue;
      }
      rows.push(
        await repeated(ctx, 'fixed-rate', `${rate} msg/s, ${size} B`, async () => {
          const r = await openLoop(router, session.pairs, {
            rate,
            durationMs,
            drainMs,
            settleMaxMs,
            size,
          });
          return {
            ...loopMetrics(r),
            offered: rate,
            sendLagP99: r.sendLagP99,
            saturated: r.saturated ? 1 : 0,
          };
        }),
      );
    }
  } finally {
    await session.close();
  }
  return rows;
}
