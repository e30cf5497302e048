import { closedLoop } from './loops.ts';
import { loopMetrics, repeated } from './measure.ts';
import { openPairs } from './sessions.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/**
 * Scenario 2: closed-loop 1:1 throughput (e.g. 8 pairs × 8 in flight, 64 pairs × 1).
 * The pairs are connected once for the largest shape; a smaller shape uses the
 * first of them (the others stay connected and idle).
 */
export async function throughput(
  ctx: ScenarioContext,
  router: DeliveryRouter,
): Promise<ResultRow[]> {
  const { shapes, sizes, warmupMs, measureMs } = ctx.config.throughput;
  const rows: ResultRow[] = [];
  const session = await openPairs(ctx.driver, router, Math.max(...shapes.map((s) => s.pairs)));
  try {
    for (const shape of shapes) {
      const pairs = session.pairs.slice(0, shape.pairs);
      for (const size of sizes) {
        rows.push(
          await repeated(
            ctx,
            'throughput',
            `${shape.pairs} pairs × ${shape.inflight} in flight, ${size} B`,
            async () => {
              const r = await closedLoop(router, pairs, {
                inflight: shape.inflight,
                size,
                warmupMs,
                measureMs,
                settleMaxMs: ctx.config.fixedRate.settleMaxMs,
              });
              return { ...loopMetrics(r), stalled: r.stalled ? 1 : 0 };
            },
          ),
        );
      }
    }
  } finally {
    await session.close();
  }
  return rows;
}
