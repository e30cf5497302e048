import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, Message } from '@rchat/protocol';
import { RchatApi, SseParser, type EventStream } from '@rchat/sdk';
import {
  Cluster,
  dropDatabases,
  freePorts,
  instanceIds,
  type InstanceId,
} from '../../scripts/cluster/cluster.ts';
import { b64, PASSWORD, uniqueName } from '../support/users.ts';
import { lastId, recordingFetch, wireSeqs, type WireConnection } from './wire.ts';

/**
 * The acceptance test of scaled-out mode: users ×1, chat ×2 and delivery ×2
 * as separate processes behind nginx (rendered from deploy/nginx.conf), on
 * PostgreSQL and NATS. Clients talk only to nginx.
 */

const postgresUrl =
  process.env.RCHAT_CLUSTER_POSTGRES ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.RCHAT_CLUSTER_NATS ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const suffix = randomBytes(4).toString('hex');
const databases = { users: `rchat_cluster_${suffix}_users`, chat: `rchat_cluster_${suffix}_chat` };
const AUTH_LIMIT = 20;
const deliveries = ['delivery-1', 'delivery-2'] as const;

interface Device {
  name: string;
  api: RchatApi;
  userId: string;
  username: string;
  /** Every /events connection this device opened, as it came over the wire. */
  connections: WireConnection[];
  /** Entries its EventStream handed to the app. */
  entries: InboxEntry[];
  stream?: EventStream;
  /** The inbox head when its stream first went live: entries continue from there. */
  startSeq: number;
  /** The delivery instance its stream was placed on. */
  instance?: InstanceId;
}

let cluster: Cluster;
let runDir: string;
let failed = false;
let alice1: Device;
let alice2: Device;
let bob1: Device;
let bob2: Device;
let conversationId: string;
/** Every message sent to the conversation, in any order. */
const sent: Message[] = [];

async function signIn(username: string, name: string, register: boolean): Promise<Device> {
  const connections: WireConnection[] = [];
  const api = new RchatApi({ baseUrl: cluster.url, fetch: recordingFetch(connections) });
  const body = { username, password: PASSWORD, device: { name } };
  const session = register ? await api.register(body) : await api.login(body);
  return { name, api, userId: session.user.id, username, connections, entries: [], startSeq: 0 };
}

/** Opens a device's event stream through nginx; resolves with the head when it is live. */
function openStream(d: Device, since?: number): Promise<number> {
  return within(
    new Promise<number>((resolve) => {
      d.stream = d.api.events({
        ...(since !== undefined ? { since } : {}),
        onEntry: (e) => d.entries.push(e),
        onReady: resolve,
      });
    }),
    20_000,
    `${d.name}'s event stream to go live`,
  );
}

/** Sum of a Prometheus series on one instance, over the samples whose labels include `labels`. */
async function metric(
  id: InstanceId,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await cluster.metrics(id);
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) total += Number(m[3]);
  }
  return total;
}

const streamsOn = async () =>
  Object.fromEntries(
    await Promise.all(
      deliveries.map(async (id) => [id, await metric(id, 'rchat_delivery_streams')] as const),
    ),
  ) as Record<(typeof deliveries)[number], number>;

/**
 * Opens a device's stream through nginx until nginx has placed it on `target`
 * (the instance whose open-stream gauge went up), so that the two devices of
 * one user are known to sit on different delivery instances.
 */
async function placeOn(d: Device, target: (typeof deliveries)[number]): Promise<void> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const before = await streamsOn();
    const head = await openStream(d);
    const after = await streamsOn();
    const landed = deliveries.find((id) => after[id] === before[id] + 1);
    if (!landed)
      throw new Error(
        `${d.name}'s stream is on no delivery instance: ${JSON.stringify({ before, after })}`,
      );
    if (landed === target) {
      d.instance = target;
      d.startSeq = head;
      return;
    }
    d.stream?.close();
    await eventually(
      async () => (await streamsOn())[landed] === before[landed],
      () => `${d.name}'s misplaced stream to close`,
    );
    d.connections.length = 0;
    d.entries.length = 0;
  }
  throw new Error(`nginx never placed ${d.name}'s stream on ${target}`);
}

/** `rounds` rounds in which every sender sends one message at the same time, through nginx. */
async function sendRounds(
  senders: Device[],
  rounds: number,
  tag: string,
  beforeRound: (round: number) => void = () => {},
): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    beforeRound(r);
    const results = await Promise.all(
      senders.map((d, i) =>
        d.api.sendMessage(conversationId, {
          txnId: `${tag}-${r}-${i}`,
          ciphertext: b64(`${tag} ${r} from ${d.name}`),
        }),
      ),
    );
    sent.push(...results);
  }
}

/** Ids of everything sent, in conversation order (which is every member's inbox order). */
const expectedIds = (after = 0) =>
  [...sent]
    .filter((m) => m.seq > after)
    .sort((a, b) => a.seq - b.seq)
    .map((m) => m.id);
const receivedIds = (d: Device) =>
  d.entries.flatMap((e) => (e.type === 'message' ? [e.message.id] : []));

/**
 * Every message exactly once and in order, on the wire and in the app, with no gap in the inbox
 * sequence.
 */
function expectExactlyOnceInOrder(d: Device, ids: string[]): void {
  expect(receivedIds(d), `${d.name}: messages`).toEqual(ids);
  const seqs = d.entries.map((e) => e.seq);
  expect(seqs, `${d.name}: inbox sequence`).toEqual(seqs.map((_, i) => d.startSeq + 1 + i));
  expect(wireSeqs(d.connections), `${d.name}: event ids on the wire`).toEqual(seqs);
}

async function eventually(
  check: () => boolean | Promise<boolean>,
  what: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)),
        ms,
      )),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const allDevices = () => [alice1, alice2, bob1, bob2];
const progress = (n: number) => () =>
  `${n} messages on every device; have ${allDevices()
    .map((d) => `${d.name}=${receivedIds(d).length}`)
    .join(', ')}`;

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), 'rchat-cluster-'));
  mkdirSync(join(runDir, 'web'));
  writeFileSync(
    join(runDir, 'web', 'index.html'),
    '<!doctype html><title>rchat</title><p>rchat web client</p>\n',
  );
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
    postgresUrl,
    natsUrl,
    databases,
    runDir,
    webRoot: join(runDir, 'web'),
    logLevel: 'info',
    env: {
      users: {
        RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH_LIMIT),
        RATE_LIMIT_SEARCH_PER_MINUTE: '10000',
      },
    },
  });
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  alice1 = await signIn(alice, 'alice-laptop', true);
  bob1 = await signIn(bob, 'bob-laptop', true);
  alice2 = await signIn(alice, 'alice-phone', false);
  bob2 = await signIn(bob, 'bob-phone', false);
  conversationId = (await alice1.api.createConversation(bob1.userId)).id;
});

beforeEach(({ onTestFailed }) => onTestFailed(() => void (failed = true)));

afterAll(async () => {
  for (const d of [alice1, alice2, bob1, bob2]) d?.stream?.close();
  if (failed && cluster) {
    for (const id of [...instanceIds, 'nginx'] as const)
      console.error(`--- ${id} (last lines of ${cluster.logFile(id)})\n${cluster.logTail(id, 25)}`);
  }
  await cluster?.stop();
  await dropDatabases(postgresUrl, [databases.users, databases.chat]);
  if (failed || process.env.RCHAT_CLUSTER_KEEP_LOGS)
    console.error(`cluster logs kept in ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
});

describe('scaled-out rchat behind nginx', () => {
  it('routes the public API by path, serves the web client, and keeps /internal/ off the public front', async () => {
    const wellKnown = await fetch(`${cluster.url}/.well-known/rchat`);
    expect(wellKnown.status).toBe(200);
    expect(await wellKnown.json()).toMatchObject({ registration: 'open' });

    // Even with the right internal token, the public front refuses /internal/; the loopback server
    // serves it.
    const headers = { 'x-internal-token': cluster.internalToken };
    const inboxPath = `/internal/inbox/${alice1.userId}?after=0`;
    expect((await fetch(`${cluster.url}${inboxPath}`, { headers })).status).toBe(404);
    expect(
      (
        await fetch(`${cluster.url}/conversations/..%2Finternal%2Finbox%2F${alice1.userId}`, {
          headers,
        })
      ).status,
    ).toBe(404);
    const internal = await fetch(`${cluster.internalUrl}${inboxPath}`, { headers });
    expect(internal.status).toBe(200);
    expect(
      ((await internal.json()) as { entries: InboxEntry[] }).entries.map((e) => e.type),
    ).toEqual(['conversation']);

    const page = await fetch(`${cluster.url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('rchat web client');
    expect(await (await fetch(`${cluster.url}/chats/some-client-route`)).text()).toContain(
      'rchat web client',
    );
  });

  it('passes request ids through to the services and back', async () => {
    const given = `cluster-${randomBytes(6).toString('hex')}`;
    const res = await fetch(`${cluster.url}/conversations/${randomUUID()}`, {
      headers: { 'x-request-id': given },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe(given);
    expect(((await res.json()) as { error: { requestId: string } }).error.requestId).toBe(given);

    const made = await fetch(`${cluster.url}/inbox`);
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(((await made.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
  });

  it('lets the largest message chat accepts (64 KiB of ciphertext) through nginx', async () => {
    const big = randomBytes(65_536).toString('base64');
    const message = await alice1.api.sendMessage(conversationId, {
      txnId: 'big-1',
      ciphertext: big,
    });
    sent.push(message);
    const latest = await bob2.api.history(conversationId, { limit: 1 });
    expect(latest.messages[0]?.ciphertext).toBe(big);
  });

  it('delivers 200 messages, sent alternately through both chat instances, to devices on different delivery instances exactly once and in order', async () => {
    await placeOn(alice1, 'delivery-1');
    await placeOn(alice2, 'delivery-2');
    await placeOn(bob1, 'delivery-1');
    await placeOn(bob2, 'delivery-2');
    expect(await streamsOn()).toEqual({ 'delivery-1': 2, 'delivery-2': 2 });

    const sendsOn = () =>
      Promise.all(
        (['chat-1', 'chat-2'] as const).map((id) =>
          metric(id, 'rchat_http_request_duration_seconds_count', {
            method: 'POST',
            route: '/conversations/:id/messages',
            status: '201',
          }),
        ),
      );
    const sendsBefore = await sendsOn();
    await sendRounds([alice1, bob2], 100, 'live');
    await eventually(() => allDevices().every((d) => receivedIds(d).length >= 200), progress(200));

    const ids = expectedIds(sent[0]?.seq);
    expect(ids).toHaveLength(200);
    for (const d of allDevices()) expectExactlyOnceInOrder(d, ids);
    // Each device's events came over its one connection, from its own delivery instance.
    for (const d of allDevices()) expect(d.connections, d.name).toHaveLength(1);
    // nginx spread the sends over both chat instances.
    const perInstance = (await sendsOn()).map((n, i) => n - (sendsBefore[i] ?? 0));
    expect(perInstance.reduce((a, b) => a + b, 0)).toBe(200);
    for (const n of perInstance) expect(n).toBeGreaterThanOrEqual(50);
  });

  it('moves the clients of a killed delivery instance to the other one, which resumes them from Last-Event-ID with no gap and no duplicate', async () => {
    const before = new Map(allDevices().map((d) => [d, d.connections.length]));
    let killed: Promise<void> | undefined;
    await sendRounds([bob1, alice2], 50, 'failover', (round) => {
      // SIGKILL while sends keep going: no goodbye, the sockets just drop.
      if (round === 15) killed = cluster.stopInstance('delivery-1', 'SIGKILL');
    });
    await killed;
    expect(cluster.isRunning('delivery-1')).toBe(false);
    await eventually(() => allDevices().every((d) => receivedIds(d).length >= 300), progress(300));

    const ids = expectedIds(sent[0]?.seq);
    expect(ids).toHaveLength(300);
    for (const d of allDevices()) expectExactlyOnceInOrder(d, ids);
    for (const d of allDevices()) {
      if (d.instance === 'delivery-1') {
        // It reconnected (through nginx), resuming from the last event id the broken connection
        // carried.
        expect(d.connections.length, d.name).toBeGreaterThan(before.get(d) ?? 0);
        // The kill fell mid-stream: the first connection carried part of this burst, later ones the
        // rest.
        expect(wireSeqs(d.connections.slice(0, 1)).length, d.name).toBeGreaterThan(200);
        expect(wireSeqs(d.connections.slice(1)).length, d.name).toBeGreaterThan(0);
        for (let i = 1; i < d.connections.length; i++)
          expect(d.connections[i]?.lastEventId, `${d.name} connection ${i + 1}`).toBe(
            lastId(d.connections[i - 1]),
          );
      } else {
        expect(d.connections, `${d.name} was not disturbed`).toHaveLength(before.get(d) ?? 0);
      }
    }
    expect(await metric('delivery-2', 'rchat_delivery_streams')).toBe(4);
  });

  it('starts a killed delivery instance again, and it resumes a device from the store', async () => {
    await cluster.startInstance('delivery-1');
    const cursor = (alice1.stream?.lastSeq ?? 0) - 3;
    const controller = new AbortController();
    const res = await fetch(`${cluster.instanceUrl('delivery-1')}/events`, {
      headers: {
        authorization: `Bearer ${alice1.api.session?.accessToken ?? ''}`,
        'last-event-id': String(cursor),
      },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const parser = new SseParser();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const events: { id: string | undefined; event: string }[] = [];
    const decoder = new TextDecoder();
    await within(
      (async () => {
        while (!events.some((e) => e.event === 'ready')) {
          const { value, done } = await reader.read();
          if (done) break;
          events.push(...parser.feed(decoder.decode(value, { stream: true })));
        }
      })(),
      15_000,
      'the restarted instance to replay the backlog',
    );
    controller.abort();
    // (The first event only carries the `retry:` interval.)
    expect(events.filter((e) => e.id !== undefined).map((e) => [e.event, Number(e.id)])).toEqual([
      ['message', cursor + 1],
      ['message', cursor + 2],
      ['message', cursor + 3],
      ['ready', cursor + 3],
    ]);
  });

  it('keeps every message across a restart of the whole cluster, and delivers live again after it', async () => {
    for (const d of allDevices()) d.stream?.close();
    const cursor = alice2.stream?.lastSeq ?? 0;
    await cluster.restart();

    const history: Message[] = [];
    let before: number | undefined;
    do {
      const page = await bob2.api.history(conversationId, {
        limit: 100,
        ...(before !== undefined ? { before } : {}),
      });
      history.push(...page.messages);
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    expect(history.map((m) => m.id).reverse()).toEqual(expectedIds());
    expect(history).toHaveLength(301);

    alice2.connections.length = 0;
    alice2.entries.length = 0;
    await openStream(alice2, cursor);
    const after = await bob1.api.sendMessage(conversationId, {
      txnId: 'after-restart',
      ciphertext: b64('after the restart'),
    });
    await eventually(
      () => alice2.entries.length > 0,
      () => 'the first message after the restart',
    );
    expect(
      alice2.entries.map((e) => (e.type === 'message' ? [e.seq, e.message.id] : [e.seq, e.type])),
    ).toEqual([[cursor + 1, after.id]]);
    expect(alice2.connections[0]?.lastEventId).toBe(String(cursor));
    alice2.stream?.close();
  });

  it('rate-limits sign-in by the real client address, whatever X-Forwarded-For a client sends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_LIMIT + 5; i++) {
      const res = await fetch(`${cluster.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `127.1.0.${i + 1}` },
        body: JSON.stringify({
          username: alice1.username,
          password: 'not the password at all',
          device: { name: 'guess' },
        }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.slice(0, AUTH_LIMIT)).toEqual(Array.from({ length: AUTH_LIMIT }, () => 401));
    expect(statuses.slice(AUTH_LIMIT)).toEqual(Array.from({ length: 5 }, () => 429));
  });
});
