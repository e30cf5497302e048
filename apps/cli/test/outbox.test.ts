import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { messageLines, rchat, RchatProcess } from './cli-process.ts';

// `rchat send` while the server is down: the message waits in the device's outbox, and the next
// rchat run sends it.
let platform: Platform;
let root: string;
const live: RchatProcess[] = [];
const alice = { name: uniqueName('alice'), home: '' };
const bob = { name: uniqueName('bob'), home: '' };

const env = (home: string) => ({
  RCHAT_SERVER: platform.url,
  RCHAT_HOME: home,
  RCHAT_PASSWORD: PASSWORD,
});
const run = (user: { home: string }, args: string[]) => rchat(args, env(user.home));
const QUEUED = 'Queued: will be sent the next time rchat runs.';

/** What bob's history with alice shows, oldest first. */
async function bobSees(): Promise<string[]> {
  const history = await run(bob, ['history', alice.name, '--limit', '50']);
  expect(history.code).toBe(0);
  return messageLines(history.stdout);
}

beforeAll(async () => {
  platform = await startPlatform();
  root = await mkdtemp(join(tmpdir(), 'rchat-cli-outbox-'));
  alice.home = join(root, 'alice');
  bob.home = join(root, 'bob');
  const [a, b] = await Promise.all([
    run(alice, ['register', alice.name]),
    run(bob, ['register', bob.name]),
  ]);
  expect(a.code).toBe(0);
  expect(b.code).toBe(0);
});

afterAll(async () => {
  for (const p of live) p.kill();
  await platform?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat send with the server unreachable', () => {
  it('queues the message, says so, and the next run of any command sends it, in order, once', async () => {
    expect(await run(alice, ['send', bob.name, 'before the outage'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    await platform.stopListening();
    try {
      const first = await run(alice, ['send', bob.name, 'typed during the outage']);
      expect(first).toMatchObject({ code: 0 });
      expect(first.stderr).toBe(`${QUEUED}\n`);
      expect((await run(alice, ['send', bob.name, 'and a second one'])).stderr).toContain(QUEUED);
      // Without a conversation this device knows, there is nowhere to queue it.
      const nowhere = await run(alice, ['send', uniqueName('carol'), 'lost?']);
      expect(nowhere.code).toBe(1);
      expect(nowhere.stderr).toContain('nothing was queued');
    } finally {
      await platform.resumeListening();
    }
    const listed = await run(alice, ['conversations']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    expect(await bobSees()).toEqual([
      `${alice.name}: before the outage`,
      `${alice.name}: typed during the outage`,
      `${alice.name}: and a second one`,
    ]);
  });

  it('`rchat listen` sends what an earlier run queued', async () => {
    await platform.stopListening();
    try {
      expect((await run(alice, ['send', bob.name, 'queued for listen'])).stderr).toContain(QUEUED);
    } finally {
      await platform.resumeListening();
    }
    const listening = new RchatProcess(['listen'], env(alice.home));
    live.push(listening);
    await listening.waitFor(/Listening as/);
    const deadline = Date.now() + 30_000;
    let seen: string[] = [];
    while (
      !(seen = await bobSees()).includes(`${alice.name}: queued for listen`) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter((l) => l.endsWith('queued for listen'))).toHaveLength(1);
    expect(seen.at(-1)).toBe(`${alice.name}: queued for listen`);
    expect((await listening.interrupt()).code).toBe(0);
  });
});
