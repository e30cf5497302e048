import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import {
  Cluster,
  createDatabases,
  dropDatabases,
  freePorts,
  instanceIds,
  type InstanceId,
} from '../../scripts/cluster/cluster.ts';
import {
  observe,
  registerClient,
  reopen,
  sendNow,
  texts,
  waitForTexts,
  type TestClient,
} from '../support/clients.ts';
import { PASSWORD, waitFor } from '../support/users.ts';

/**
 * The backup procedure of docs/operations.md, for real: a scaled-out platform
 * on PostgreSQL is dumped with `pg_dump -Fc` (both databases), lost, restored
 * with `pg_restore` into empty new databases, and started again on them. The
 * clients, whose own storage survived, read what they had not received yet,
 * decrypt it, and go on messaging; a new device restored from the recovery
 * key gets the history from the restored message backup.
 */

const postgresUrl =
  process.env.RCHAT_CLUSTER_POSTGRES ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.RCHAT_CLUSTER_NATS ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const suffix = randomBytes(4).toString('hex');
const original = { users: `rchat_backup_${suffix}_users`, chat: `rchat_backup_${suffix}_chat` };
const restored = { users: `rchat_restored_${suffix}_users`, chat: `rchat_restored_${suffix}_chat` };
const dbUrl = (name: string) =>
  Object.assign(new URL(postgresUrl), { pathname: `/${name}` }).toString();

let runDir: string;
const clusters: Cluster[] = [];
const clients: TestClient[] = [];

async function startCluster(databases: { users: string; chat: string }): Promise<Cluster> {
  const [publicPort, internalPort, ...ports] = (await freePorts(7)) as [
    number,
    number,
    ...number[],
  ];
  const cluster = await Cluster.start({
    publicPort,
    internalPort,
    ports: Object.fromEntries(instanceIds.map((id, i) => [id, ports[i] as number])) as Record<
      InstanceId,
      number
    >,
    postgresUrl,
    natsUrl,
    databases,
    runDir: join(runDir, databases.users),
    webRoot: join(runDir, 'web'),
  });
  clusters.push(cluster);
  return cluster;
}

const track = (t: TestClient) => (clients.push(t), t);

/** Runs a PostgreSQL client program; its stderr becomes the error. */
function pgTool(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(
      `${program} ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr ?? String(e)}`,
    );
  }
}

async function tablesIn(name: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: dbUrl(name) });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

beforeAll(() => {
  runDir = mkdtempSync(join(tmpdir(), 'rchat-backup-'));
  mkdirSync(join(runDir, 'web'));
  writeFileSync(join(runDir, 'web', 'index.html'), '<!doctype html><title>rchat</title>\n');
});

afterAll(async () => {
  for (const t of clients) t.client.stop();
  for (const c of clusters) await c.stop();
  await dropDatabases(postgresUrl, [...Object.values(original), ...Object.values(restored)]);
  rmSync(runDir, { recursive: true, force: true });
});

describe('backup and restore (pg_dump / pg_restore)', () => {
  it("uses client programs at least as new as the server (pg_dump refuses a newer server's data)", async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    const serverMajor =
      Number(
        (await client.query<{ server_version_num: string }>('show server_version_num')).rows[0]
          ?.server_version_num,
      ) / 10_000;
    await client.end();
    for (const tool of ['pg_dump', 'pg_restore']) {
      const major = Number(/\(PostgreSQL\) (\d+)/.exec(pgTool(tool, ['--version']))?.[1]);
      expect(
        major,
        `${tool} ${major} for a PostgreSQL ${Math.floor(serverMajor)} server`,
      ).toBeGreaterThanOrEqual(Math.floor(serverMajor));
    }
  });

  it('brings both databases back into empty new ones: clients with their own storage read what they missed, decrypt it and keep messaging', async () => {
    const before = await startCluster(original);
    const alice = track(await registerClient(before.url, 'alice'));
    const bob = track(await registerClient(before.url, 'bob'));
    const bobRecoveryKey = bob.client.takeRecoveryKey() ?? '';
    await Promise.all([alice.client.start(), bob.client.start()]);
    const { id: conversationId } = await alice.client.startConversation({
      userId: bob.client.userId,
    });
    for (const text of ['first', 'second', 'third'])
      await alice.client.sendText(conversationId, text);
    expect(await waitForTexts(bob, conversationId, alice.client.userId, 3)).toEqual([
      'first',
      'second',
      'third',
    ]);
    await bob.client.sendText(conversationId, 'got them');
    await waitForTexts(alice, conversationId, bob.client.userId, 1);

    // Bob's device goes offline; two more messages reach only the server before the backup.
    await bob.client.flushBackup();
    bob.client.stop();
    for (const text of ['while you were away', 'and this too'])
      await alice.client.sendText(conversationId, text);
    await waitFor(
      async () => (await alice.client.api.history(conversationId)).messages.length === 6,
      'the server to store all six messages',
    );
    await alice.client.flushBackup();
    alice.client.stop();

    // The backup, as docs/operations.md gives it: one custom-format dump per database.
    const dumps = { users: join(runDir, 'users.dump'), chat: join(runDir, 'chat.dump') };
    for (const service of ['users', 'chat'] as const)
      pgTool('pg_dump', ['-Fc', '-f', dumps[service], '--dbname', dbUrl(original[service])]);
    for (const file of Object.values(dumps)) expect(statSync(file).size).toBeGreaterThan(1_000);

    // The disaster: the platform and both databases are gone.
    await before.stop();
    await dropDatabases(postgresUrl, Object.values(original));

    // The restore: empty new databases, then pg_restore.
    await createDatabases(postgresUrl, Object.values(restored));
    for (const service of ['users', 'chat'] as const) {
      expect(await tablesIn(restored[service]), `${restored[service]} starts empty`).toEqual([]);
      pgTool('pg_restore', [
        '--no-owner',
        '--exit-on-error',
        '--dbname',
        dbUrl(restored[service]),
        dumps[service],
      ]);
      expect(await tablesIn(restored[service])).toContain('schema_migrations');
    }
    const after = await startCluster(restored);

    // Both devices come back from their own storage, signed in with the sessions the users database
    // kept.
    const bobAgain = track(await reopen(after.url, bob));
    const aliceAgain = track(await reopen(after.url, alice));
    await Promise.all([bobAgain.client.start(), aliceAgain.client.start()]);
    expect(await waitForTexts(bobAgain, conversationId, alice.client.userId, 2)).toEqual([
      'while you were away',
      'and this too',
    ]);
    const history = await bobAgain.client.history(conversationId);
    expect(
      history.messages
        .map((m) => (m.content.kind === 'text' ? m.content.text : m.content.kind))
        .sort(),
    ).toEqual(
      ['and this too', 'first', 'got them', 'second', 'third', 'while you were away'].sort(),
    );

    // And they keep working: sends in both directions, with sequences going on from the restored
    // ones.
    const sent = await sendNow(aliceAgain.client, conversationId, 'after the restore');
    expect(sent.seq).toBe(7);
    await waitFor(
      () => texts(bobAgain, conversationId, alice.client.userId).includes('after the restore'),
      'bob to get the first message after the restore',
      30_000,
    );
    await bobAgain.client.sendText(conversationId, 'all here');
    expect(await waitForTexts(aliceAgain, conversationId, bob.client.userId, 1)).toEqual([
      'all here',
    ]);

    // A new device from the recovery key reads the old history from the restored message backup.
    const storage = createMemoryStorage();
    const laptop = await RchatClient.restoreFromRecoveryKey(
      { baseUrl: after.url, storage, deviceName: 'new laptop' },
      bob.client.username,
      PASSWORD,
      { recoveryKey: bobRecoveryKey },
    );
    track(observe(laptop, storage));
    const old = await laptop.history(conversationId);
    expect(
      old.messages.map((m) => (m.content.kind === 'text' ? m.content.text : m.content.kind)),
    ).toEqual(expect.arrayContaining(['first', 'second', 'third', 'got them']));
  });
});
