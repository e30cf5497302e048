import { closedLoop } from './loops.ts';
import { loopMetrics, repeated } from './measure.ts';
import { openPairs } from './sessions.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** Scenario 1: one pair, one message in flight: pure per-message latency. */
export async function unloadedLatency(
  ctx: ScenarioContext,
  router: DeliveryRouter,
): Promise<ResultRow[]> {
  const { messages, warmup } = ctx.config.unloaded;
  const session = await openPairs(ctx.driver, router, 1);
  const rows: ResultRow[] = [];
  try {
    for (const size of ctx.config.sizes) {
      rows.push(
        await repeated(ctx, 'unloaded-latency', `${size} B`, async () => {
          const r = await closedLoop(router, session.pairs, {
            inflight: 1,
            size,
            messages,
            warmupMessages: warmup,
            maxMs: ctx.config.unloaded.maxMs,
            settleMaxMs: ctx.config.fixedRate.settleMaxMs,
          });
          return { ...loopMetrics(r), stalled: r.stalled ? 1 : 0 };
        }),
      );
    }
  } finally {
    await session.close();
  }
  return rows;
}
