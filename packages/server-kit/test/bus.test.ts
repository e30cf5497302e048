import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, createMemoryBus, createNatsBus, type Bus } from '../src/index.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
const buses: Bus[] = [];
afterAll(async () => {
  for (const b of new Set(buses)) await b.close();
});

async function roundTrip(publisher: Bus, subscriber: Bus): Promise<void> {
  const subject = `rchat.test.${Math.random().toString(36).slice(2)}`;
  const got: unknown[] = [];
  const sub = subscriber.subscribe(subject, (e) => got.push(e));
  await subscriber.flush();
  const event = { n: 1, nested: { text: 'x' } };
  publisher.publish(subject, event);
  event.n = 2; // the subscriber must get a copy, as over a wire
  await publisher.flush();
  const deadline = Date.now() + 5_000;
  while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(got).toEqual([{ n: 1, nested: { text: 'x' } }]);
  sub.unsubscribe();
  publisher.publish(subject, { n: 3 });
  await publisher.flush();
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toHaveLength(1);
}

// The NATS adapter runs when NATS_URL names a server (CI sets it); the in-process one always does.
const adapters: { name: string; make: () => Promise<[Bus, Bus]> }[] = [
  {
    name: 'in-process',
    make: async () => {
      const bus = createMemoryBus();
      return [bus, bus];
    },
  },
  ...(process.env.NATS_URL
    ? [
        {
          name: 'NATS, across two connections',
          make: async (): Promise<[Bus, Bus]> => [
            await createNatsBus({ NATS_URL: process.env.NATS_URL ?? '' }, 'test-a', logger),
            await createNatsBus({ NATS_URL: process.env.NATS_URL ?? '' }, 'test-b', logger),
          ],
        },
      ]
    : []),
];

describe('bus', () => {
  it.each(adapters)(
    '$name: delivers copies to subscribers until they unsubscribe',
    async ({ make }) => {
      const [publisher, subscriber] = await make();
      buses.push(publisher, subscriber);
      await roundTrip(publisher, subscriber);
    },
  );
});
