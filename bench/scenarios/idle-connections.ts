import { now, sleep } from '../lib/clock.ts';
import { totalRssKiB } from '../lib/proc.ts';
import { round } from '../lib/stats.ts';
import { USER_PREFIX, closeAll, mapLimit } from './sessions.ts';
import type { Endpoint } from '../systems/types.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** Source addresses for many connections (all loopback), to keep clear of ephemeral-port limits. */
const SOURCES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

/**
 * Connections per account: 10k connections are 1,000 accounts × 10 devices.
 * Keeps provisioning (password hashing) short without making one account's
 * multi-device bookkeeping (XMPP presence to own resources) dominate.
 */
const DEVICES_PER_ACCOUNT = 10;

/** Scenario 5: N authenticated idle connections; server RSS per connection after settling. */
export async function idleConnections(
  ctx: ScenarioContext,
  router: DeliveryRouter,
): Promise<ResultRow[]> {
  const { connections, settleMs, sampleAtMs } = ctx.config.idle;
  let t = now();
  const accounts = await ctx.driver.users(
    USER_PREFIX,
    Math.ceil(connections / DEVICES_PER_ACCOUNT),
  );
  const names = Array.from(
    { length: connections },
    (_, i) => accounts[i % accounts.length] as string,
  );
  const provisionSeconds = (now() - t) / 1000;
  await ctx.beforeConnect?.();
  await sleep(settleMs);
  const baseline = totalRssKiB(ctx.driver.serverPids());
  t = now();
  let failed = 0;
  const firstErrors: string[] = [];
  const endpoints = await mapLimit(names, 32, (user, i) =>
    ctx.driver
      .connect(user, {
        device: Math.floor(i / accounts.length),
        listenOnly: true,
        onDelivery: router.handler(0),
        localAddress: SOURCES[i % SOURCES.length] as string,
      })
      .catch((e: unknown) => {
        failed += 1;
        if (firstErrors.length < 3) firstErrors.push((e as Error).message);
        return undefined;
      }),
  );
  const open = endpoints.filter((e): e is Endpoint => e !== undefined);
  const connectSeconds = (now() - t) / 1000;
  const connectedAt = now();
  const metrics: Record<string, number> = {
    connections: open.length,
    failed,
    connectPerSecond: round(open.length / connectSeconds, 1),
    provisionSeconds: round(provisionSeconds, 1),
    baselineMiB: round(baseline / 1024, 1),
  };
  try {
    for (const [k, at] of sampleAtMs.entries()) {
      const wait = connectedAt + at - now();
      if (wait > 0) await sleep(wait);
      const rss = totalRssKiB(ctx.driver.serverPids());
      metrics[`rssMiB@${at / 1000}s`] = round(rss / 1024, 1);
      metrics[`kibPerConn@${at / 1000}s`] = round(
        open.length > 0 ? (rss - baseline) / open.length : Number.NaN,
        2,
      );
      // After the first sample the connections only wait: the next system may start meanwhile.
      if (k === 0) ctx.background?.();
    }
  } finally {
    await closeAll(open);
  }
  const notes = failed > 0 ? [`${failed} connections failed: ${firstErrors.join(' | ')}`] : [];
  ctx.log(`  [${ctx.driver.info.id}] idle ${open.length} connections: ${JSON.stringify(metrics)}`);
  return [
    {
      scenario: 'idle-connections',
      system: ctx.driver.info.id,
      variant: `${connections} connections (${accounts.length} accounts × ${Math.ceil(connections / accounts.length)} devices)`,
      metrics,
      reps: 1,
      ...(notes.length > 0 ? { notes } : {}),
    },
  ];
}
