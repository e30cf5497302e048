import { closedLoop } from './loops.ts';
import { loopMetrics, repeated } from './measure.ts';
import { USER_PREFIX, closeAll } from './sessions.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { Endpoint } from '../systems/types.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/**
 * Scenario 4 (single instance): one user on several devices; a message
 * counts as delivered when every device has it (latency = the last device).
 */
export async function fanout(ctx: ScenarioContext, router: DeliveryRouter): Promise<ResultRow[]> {
  const { devices, messages, size } = ctx.config.fanout;
  const [senderName, userName] = await ctx.driver.users(USER_PREFIX, 2);
  if (senderName === undefined || userName === undefined) throw new Error('fanout: users missing');
  const endpoints: Endpoint[] = [];
  try {
    const sender = await ctx.driver.connect(senderName, {
      device: 0,
      onDelivery: router.handler(31),
    });
    endpoints.push(sender);
    for (let d = 0; d < devices; d += 1) {
      endpoints.push(
        await ctx.driver.connect(userName, {
          device: d,
          multiDevice: true,
          onDelivery: router.handler(d),
        }),
      );
    }
    const to = endpoints[1] as Endpoint;
    await sender.prepare(userName);
    return [
      await repeated(ctx, 'fanout', `1 user × ${devices} devices, ${size} B`, async () => {
        const r = await closedLoop(router, [{ from: sender, to }], {
          inflight: 1,
          size,
          copies: devices,
          messages,
          warmupMessages: 10,
          maxMs: ctx.config.unloaded.maxMs,
          settleMaxMs: ctx.config.fixedRate.settleMaxMs,
        });
        return { ...loopMetrics(r), stalled: r.stalled ? 1 : 0 };
      }),
    ];
  } finally {
    await closeAll(endpoints);
  }
}
