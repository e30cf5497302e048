import type { Endpoint, SystemDriver } from '../systems/types.ts';
import type { DeliveryRouter } from './delivery-router.ts';

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * All scenarios draw their accounts from one pool (`u0`, `u1`, ...), so each is registered once per
 * run.
 */
export const USER_PREFIX = 'u';

export interface Pair {
  from: Endpoint;
  to: Endpoint;
}

export interface Pairs {
  pairs: Pair[];
  close(): Promise<void>;
}

/**
 * `count` sender→receiver pairs of distinct users; endpoint k (sender 2i, receiver 2i+1) has router
 * tag k.
 */
export async function openPairs(
  driver: SystemDriver,
  router: DeliveryRouter,
  count: number,
): Promise<Pairs> {
  const names = await driver.users(USER_PREFIX, count * 2);
  const endpoints = await mapLimit(names, 16, (user, i) =>
    driver.connect(user, { device: 0, onDelivery: router.handler(i) }),
  );
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i += 1)
    pairs.push({ from: endpoints[2 * i] as Endpoint, to: endpoints[2 * i + 1] as Endpoint });
  await Promise.all(pairs.map((p) => p.from.prepare(p.to.user)));
  return { pairs, close: () => closeAll(endpoints) };
}

export async function closeAll(endpoints: readonly Endpoint[]): Promise<void> {
  await mapLimit(endpoints, 64, (e) => e.close().catch(() => undefined));
}
