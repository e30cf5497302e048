import { openLoop } from './loops.ts';
import { loopMetrics, repeated } from './measure.ts';
import { openPairs } from './sessions.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** Scenario 3: latency at a fixed offered load (open loop, measured from the scheduled send time). */
export async function fixedRate(ctx: ScenarioContext, router: DeliveryRouter): Promise<ResultRow[]> {
  const { rates, pairs, durationMs, drainMs, size } = ctx.config.fixedRate;
  const session = await openPairs(ctx.driver, router, pairs);
  const rows: ResultRow[] = [];
  try {
    for (const rate of rates) {
      rows.push(
        await repeated(ctx, 'fixed-rate', `${rate} msg/s, ${size} B`, async () => {
          const r = await openLoop(router, session.pairs, { rate, durationMs, drainMs, size });
          return { ...loopMetrics(r), offered: rate, sendLagP99: r.sendLagP99, saturated: r.saturated ? 1 : 0 };
        }),
      );
    }
  } finally {
    await session.close();
  }
  return rows;
}
