import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import {
  Cluster,
  deployDir,
  freePorts,
  instanceIds,
  type InstanceId,
} from '../../scripts/cluster/cluster.ts';
import { PASSWORD, uniqueName } from '../support/users.ts';
import { NatsServer } from './nats-server.ts';
import { PrivatePostgres } from './private-postgres.ts';
import { Receiver, Sender, sleep } from './traffic.ts';

/**
 * "Nothing lost": the scaled-out stack (users ×1, chat ×2, delivery ×2 behind
 * nginx) under steady traffic — two senders, about 10 messages a second each,
 * to four devices whose event streams sit on the delivery instances — while
 * one part fails: a chat instance or a delivery instance killed with SIGKILL
 * and started again, PostgreSQL restarted, NATS restarted. Senders retry a
 * failed send with the same txnId until it is acknowledged; streams resume
 * from their cursor. Once traffic stops and the system settles, every device
 * must hold every acknowledged message exactly once, and the store must hold
 * each txnId once.
 *
 * PostgreSQL and NATS here are private to this file (a fresh initdb and a
 * nats-server running deploy/nats.conf with its passwords), so restarting them
 * disturbs nothing else on the machine.
 */

/** Traffic before the fault is injected. */
const BEFORE_FAULT_MS = 5_000;
/** How long the failed part stays down before it is started again. */
const DOWN_MS = 3_000;
/** Traffic after the failed part is back. */
const AFTER_RECOVERY_MS = 8_000;
/** One message per sender per interval (when the previous one was acknowledged). */
const INTERVAL_MS = 100;
/** How long delivery may take, once traffic stops, before what is missing counts as lost. */
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * Letters only, as deploy/README.md makes them: nats.conf would read a value starting with a digit
 * as a number.
 */
const natsPassword = () =>
  randomBytes(16)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)] ?? 'g');
const natsPasswords = { users: natsPassword(), chat: natsPassword(), delivery: natsPassword() };

interface Row {
  fault: string;
  sent: number;
  delivered: number;
  duplicated: number;
  lost: number;
  retried: number;
  slowestSendMs: number;
  settleMs: number;
  /** What failed send attempts answered (error code or HTTP status and code). */
  failures: string[];
}

let dir: string;
let postgres: PrivatePostgres;
let nats: NatsServer;
let cluster: Cluster;
let failed = false;
let conversationId: string;
/** alice's and bob's laptops (they send too) and phones. */
let devices: { alice1: RchatApi; alice2: RchatApi; bob1: RchatApi; bob2: RchatApi };
let receivers: Receiver[] = [];
const rows: Row[] = [];

async function signIn(username: string, device: string, register: boolean): Promise<RchatApi> {
  const api = new RchatApi({ baseUrl: cluster.url });
  const body = { username, password: PASSWORD, device: { name: device } };
  await (register ? api.register(body) : api.login(body));
  return api;
}

/** What a fault can do to the traffic while it injects itself. */
interface Traffic {
  senders: Sender[];
  /** Stops sending (after the messages in flight are acknowledged). */
  stop(): Promise<void>;
}

/**
 * Runs traffic, injects the fault after BEFORE_FAULT_MS (`inject` resolves when
 * the failed part is back), keeps traffic going for AFTER_RECOVERY_MS (unless
 * the fault stopped it), stops it, and counts what every device got.
 */
async function underTraffic(
  fault: string,
  tag: string,
  inject: (traffic: Traffic) => Promise<void>,
): Promise<Row> {
  const senders = [
    new Sender('alice', devices.alice1, conversationId),
    new Sender('bob', devices.bob1, conversationId),
  ];
  let stopped = false;
  const traffic: Traffic = {
    senders,
    stop: async () => {
      stopped = true;
      await Promise.all(senders.map((s) => s.stop()));
    },
  };
  for (const s of senders) s.start(tag, INTERVAL_MS);
  try {
    await sleep(BEFORE_FAULT_MS);
    await inject(traffic);
    if (!stopped) await sleep(AFTER_RECOVERY_MS);
  } finally {
    await traffic.stop();
  }
  return account(fault, tag, senders);
}

/**
 * Waits for delivery to settle, then counts what every device got of what `senders` had
 * acknowledged, and what the store holds.
 */
async function account(fault: string, tag: string, senders: Sender[]): Promise<Row> {
  const stoppedAt = Date.now();
  const txnIds = senders.flatMap((s) => [...s.acked.keys()]);
  const allArrived = () => receivers.every((r) => r.countDelivered(txnIds) === txnIds.length);
  while (!allArrived() && Date.now() - stoppedAt < SETTLE_TIMEOUT_MS) await sleep(50);
  const settleMs = Date.now() - stoppedAt;
  // Counted before anything else is sent: a later message would reveal a gap, and the stream would
  // repair it.
  const delivered = txnIds.filter((t) =>
    receivers.every((r) => r.countDelivered([t]) === 1),
  ).length;
  // A marker after everything: streams deliver in inbox order, so once every device has it, any
  // late duplicate has arrived too.
  const marker = `${tag}-marker`;
  await new Sender('marker', devices.alice1, conversationId).send(marker);
  await eventually(
    () => receivers.every((r) => r.countDelivered([marker]) === 1),
    `every device to receive ${marker}`,
  );

  const stored = await storedCopies(
    tag,
    Math.min(...senders.flatMap((s) => [...s.acked.values()].map((m) => m.seq))),
  );
  const storedDuplicates = [...stored.values()].reduce((n, c) => n + c - 1, 0);
  const row: Row = {
    fault,
    sent: txnIds.length,
    delivered,
    duplicated: receivers.reduce((n, r) => n + r.duplicatesOf(txnIds), 0) + storedDuplicates,
    lost: txnIds.length - delivered,
    retried: senders.reduce((n, s) => n + s.retried, 0),
    slowestSendMs: Math.max(...senders.map((s) => s.slowestMs)),
    settleMs,
    failures: [...new Set(senders.flatMap((s) => [...s.failures.keys()]))],
  };
  rows.push(row);
  console.log(
    `${fault}: ${JSON.stringify(row)}; failed attempts: ${JSON.stringify(senders.map((s) => Object.fromEntries(s.failures)))}; stream connections: ${receivers.map((r) => `${r.name}=${r.connections}`).join(', ')}`,
  );
  // Every acknowledged send is stored exactly once.
  expect(stored.size, 'txnIds in the store').toBe(txnIds.length);
  expect(storedDuplicates, 'txnIds stored as more than one message').toBe(0);
  expect(row.sent, 'traffic flowed').toBeGreaterThan(100);
  for (const r of receivers)
    expect(r.outOfOrder, `${r.name}: entries at or below a sequence it had`).toBe(0);
  return row;
}

/**
 * How many stored messages of the conversation carry each txnId of this run (history from the
 * newest back to `fromSeq`).
 */
async function storedCopies(tag: string, fromSeq: number): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  let before: number | undefined;
  for (;;) {
    const page = await devices.bob2.history(conversationId, {
      limit: 100,
      ...(before !== undefined ? { before } : {}),
    });
    for (const m of page.messages)
      if (m.txnId.startsWith(`${tag}-`) && m.txnId !== `${tag}-marker`)
        copies.set(m.txnId, (copies.get(m.txnId) ?? 0) + 1);
    const oldest = page.messages.at(-1)?.seq;
    if (page.nextBefore == null || oldest === undefined || oldest <= fromSeq) return copies;
    before = page.nextBefore;
  }
}

async function streamsOn(id: InstanceId): Promise<number> {
  const line = (await cluster.metrics(id))
    .split('\n')
    .find((l) => l.startsWith('rchat_delivery_streams '));
  return Number(line?.split(' ')[1] ?? 0);
}

async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

function expectNothingLost(row: Row): void {
  expect({ delivered: row.delivered, duplicated: row.duplicated, lost: row.lost }).toEqual({
    delivered: row.sent,
    duplicated: 0,
    lost: 0,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rchat-faults-'));
  mkdirSync(join(dir, 'web'));
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>rchat</title>\n');
  postgres = await PrivatePostgres.create();
  nats = await NatsServer.start({
    config: join(deployDir, 'nats.conf'),
    env: {
      RCHAT_NATS_USERS_PASSWORD: natsPasswords.users,
      RCHAT_NATS_CHAT_PASSWORD: natsPasswords.chat,
      RCHAT_NATS_DELIVERY_PASSWORD: natsPasswords.delivery,
    },
    jetStreamDir: join(dir, 'nats'),
  });
  const busUser = (name: keyof typeof natsPasswords) => ({
    NATS_USER: name,
    NATS_PASSWORD: natsPasswords[name],
  });
  const [publicPort, internalPort, ...ports] = (await freePorts(7)) as [
    number,
    number,
    ...number[],
  ];
  cluster = await Cluster.start({
    publicPort,
    internalPort,
    ports: Object.fromEntries(instanceIds.map((id, i) => [id, ports[i] as number])) as Record<
      InstanceId,
      number
    >,
    postgresUrl: postgres.url,
    natsUrl: nats.url,
    databases: { users: 'rchat_users', chat: 'rchat_chat' },
    runDir: join(dir, 'cluster'),
    webRoot: join(dir, 'web'),
    env: { users: busUser('users'), chat: busUser('chat'), delivery: busUser('delivery') },
  });
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  const alice1 = await signIn(alice, 'alice-laptop', true);
  const bob1 = await signIn(bob, 'bob-laptop', true);
  devices = {
    alice1,
    bob1,
    alice2: await signIn(alice, 'alice-phone', false),
    bob2: await signIn(bob, 'bob-phone', false),
  };
  conversationId = (await alice1.createConversation(bob1.session?.user.id ?? '')).id;
  receivers = Object.entries(devices).map(([name, api]) => new Receiver(name, api));
  for (const r of receivers) await r.open();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => void (failed = true)));

afterAll(async () => {
  for (const r of receivers) r.close();
  if (rows.length > 0) console.log(`\n${faultTable(rows)}\n`);
  if (failed && cluster) {
    for (const id of [...instanceIds, 'nginx'] as const)
      console.error(`--- ${id} (last lines of ${cluster.logFile(id)})\n${cluster.logTail(id, 25)}`);
  }
  await cluster?.stop();
  await nats?.stop();
  if (failed || process.env.RCHAT_CLUSTER_KEEP_LOGS) {
    await postgres?.stop().catch(() => postgres.kill());
    console.error(`fault-injection logs kept in ${dir} (PostgreSQL's in ${postgres?.dir})`);
  } else {
    await postgres?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The per-fault counts as a Markdown table (docs/operations.md quotes one). */
function faultTable(all: Row[]): string {
  const head =
    '| fault | sent | delivered | duplicated | lost | retried sends | slowest send | time to settle |';
  const lines = all.map(
    (r) =>
      `| ${r.fault} | ${r.sent} | ${r.delivered} | ${r.duplicated} | ${r.lost} | ${r.retried} | ${(r.slowestSendMs / 1000).toFixed(1)} s | ${(r.settleMs / 1000).toFixed(1)} s |`,
  );
  return [head, '|---|---:|---:|---:|---:|---:|---:|---:|', ...lines].join('\n');
}

describe('nothing lost under faults (steady traffic through nginx)', () => {
  it('kill -9 of a chat instance, then started again', async () => {
    const row = await underTraffic('kill -9 chat-1', 'chat', async ({ senders }) => {
      // While a send is waiting for its answer (nginx may have passed it to chat-1).
      await eventually(() => senders.some((s) => s.inFlight), 'a send in flight');
      await cluster.stopInstance('chat-1', 'SIGKILL');
      await sleep(DOWN_MS);
      await cluster.startInstance('chat-1');
    });
    expectNothingLost(row);
  });

  it('kill -9 of a delivery instance holding streams, then started again', async () => {
    const victim = (await streamsOn('delivery-1')) > 0 ? 'delivery-1' : 'delivery-2';
    expect(await streamsOn(victim), `${victim} holds streams`).toBeGreaterThan(0);
    const before = receivers.map((r) => r.connections);
    const row = await underTraffic(`kill -9 ${victim}`, 'delivery', async () => {
      await cluster.stopInstance(victim, 'SIGKILL');
      await sleep(DOWN_MS);
      await cluster.startInstance(victim);
    });
    expectNothingLost(row);
    // The streams on the killed instance resumed over new connections.
    expect(receivers.filter((r, i) => r.connections > (before[i] ?? 0)).length).toBeGreaterThan(0);
  });

  it('PostgreSQL restarted', async () => {
    const row = await underTraffic('PostgreSQL restart', 'postgres', async () => {
      await postgres.stop('fast');
      await sleep(DOWN_MS);
      await postgres.start();
    });
    expectNothingLost(row);
    // The outage was felt: sends were refused — as 503 UNAVAILABLE (retry), never as a 500 — and
    // retried.
    expect(row.retried).toBeGreaterThan(0);
    expect(
      row.failures.filter((f) => !/^(503 UNAVAILABLE|502 UNAVAILABLE|NETWORK)$/.test(f)),
    ).toEqual([]);
  });

  it('NATS restarted', async () => {
    const row = await underTraffic('NATS restart', 'nats', async () => {
      await nats.stop();
      await sleep(DOWN_MS);
      await nats.start();
    });
    expectNothingLost(row);
  });

  it('NATS restarted, with the last messages sent while it is down', async () => {
    // No later message reveals a lost bus event here: delivery must notice the reconnect and read
    // the store.
    const row = await underTraffic(
      'NATS restart, traffic ends in the outage',
      'nats-end',
      async (traffic) => {
        await nats.stop();
        await sleep(DOWN_MS / 2);
        await traffic.stop();
        await sleep(DOWN_MS / 2);
        await nats.start();
      },
    );
    expectNothingLost(row);
  });
});
