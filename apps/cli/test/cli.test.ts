import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { openFileStorage } from '@rchat/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { messageLines, rchat, RchatProcess } from './cli-process.ts';

// Two people, each with their own terminal and their own --home, using the
// real `rchat` binary against the whole platform.
let platform: Platform;
let root: string;
const live: RchatProcess[] = [];
const alice = { name: uniqueName('alice'), home: '' };
const bob = { name: uniqueName('bob'), home: '' };

const env = (home: string, extra: Record<string, string> = {}) => ({
  RCHAT_SERVER: platform.url,
  RCHAT_HOME: home,
  RCHAT_PASSWORD: PASSWORD,
  ...extra,
});
const run = (user: { home: string }, args: string[], extra?: Record<string, string>) =>
  rchat(args, env(user.home, extra));
function start(user: { home: string }, args: string[]): RchatProcess {
  const p = new RchatProcess(args, env(user.home));
  live.push(p);
  return p;
}

beforeAll(async () => {
  platform = await startPlatform();
  root = await mkdtemp(join(tmpdir(), 'rchat-cli-'));
  alice.home = join(root, 'alice');
  bob.home = join(root, 'bob');
});

afterAll(async () => {
  for (const p of live) p.kill();
  await platform?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat in two terminals', () => {
  it('registers two people, each on their own device, and keeps the keys private', async () => {
    const [a, b] = await Promise.all([
      run(alice, ['register', alice.name]),
      run(bob, ['register', bob.name]),
    ]);
    expect(a.stderr).toBe('');
    expect(a).toMatchObject({ code: 0 });
    expect(b).toMatchObject({ code: 0 });
    expect((await stat(alice.home)).mode & 0o777).toBe(0o700);
    expect((await run(alice, ['whoami'])).stdout).toBe(`${alice.name} on ${platform.url}\n`);
    expect((await run(bob, ['users', alice.name.slice(0, 8)])).stdout.split('\n')).toContain(
      alice.name,
    );
  });

  it('shows a message sent with `rchat send` live in the other terminal running `rchat listen`', async () => {
    const listening = start(bob, ['listen']);
    await listening.waitFor(/Listening as/);
    const sent = await run(alice, ['send', bob.name, 'hello', 'bob,', 'it is me']);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    await listening.waitFor(
      new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] ${alice.name}: hello bob, it is me$`, 'm'),
    );

    // A second process on the same device is refused, so the two cannot overwrite each other's
    // keys.
    const second = await run(bob, ['send', alice.name, 'hi']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another rchat process \(pid \d+\) is using/);

    expect((await listening.interrupt()).code).toBe(0);
  });

  it('resumes `listen` after a restart where it left off: what came meanwhile, nothing twice', async () => {
    expect((await run(alice, ['send', bob.name, 'sent while you were away'])).code).toBe(0);
    const listening = start(bob, ['listen']);
    await listening.waitFor(/Listening as/);
    await listening.waitFor(/sent while you were away/);
    expect((await run(alice, ['send', bob.name, 'and one more, live'])).code).toBe(0);
    await listening.waitFor(/and one more, live/);
    const finished = await listening.interrupt();
    expect(finished.code).toBe(0);
    expect(messageLines(finished.stdout)).toEqual([
      `${alice.name}: sent while you were away`,
      `${alice.name}: and one more, live`,
    ]);
  });

  it('shows the history of a conversation from both sides, oldest first, and unread counts', async () => {
    expect((await run(bob, ['send', alice.name, 'hi alice'])).code).toBe(0);
    const before = await run(alice, ['conversations']);
    expect(before.stdout).toMatch(new RegExp(`^${bob.name}\\s+1 unread\\s+last `, 'm'));
    // A command that is not about messages still shows the ones that came in.
    expect(messageLines(before.stderr)).toEqual([`${bob.name}: hi alice`]);

    const history = await run(alice, ['history', bob.name]);
    expect(history.code).toBe(0);
    expect(messageLines(history.stdout)).toEqual([
      `${alice.name}: hello bob, it is me`,
      `${alice.name}: sent while you were away`,
      `${alice.name}: and one more, live`,
      `${bob.name}: hi alice`,
    ]);
    const [bobsLastTwo, after] = await Promise.all([
      run(bob, ['history', alice.name, '--limit', '2']),
      run(alice, ['conversations']),
    ]);
    expect(messageLines(bobsLastTwo.stdout)).toEqual([
      `${alice.name}: and one more, live`,
      `${bob.name}: hi alice`,
    ]);
    expect(after.stdout).toMatch(new RegExp(`^${bob.name}\\s+read\\s+last `, 'm'));
  });

  it('gives both people the same safety number', async () => {
    const [a, b] = await Promise.all([
      run(alice, ['safety-number', bob.name]),
      run(bob, ['safety-number', alice.name]),
    ]);
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(b).toMatchObject({ code: 0, stderr: '' });
    // Only the indented number lines (usernames carry digits too).
    const digits = (out: string) =>
      out
        .split('\n')
        .filter((line) => /^\s+\d{5}( \d{5})*$/.test(line))
        .join('')
        .replace(/\s/g, '');
    expect(digits(a.stdout)).toMatch(/^\d{60}$/);
    expect(digits(a.stdout)).toBe(digits(b.stdout));
  });

  it('runs a bot as an ordinary encrypted account', async () => {
    const echoBot = fileURLToPath(new URL('../examples/echo-bot.ts', import.meta.url));
    const bot = start(bob, ['bot', echoBot]);
    await bot.waitFor(/is running as/);
    expect((await run(alice, ['send', bob.name, 'ping'])).code).toBe(0);
    const listening = start(alice, ['listen']);
    await listening.waitFor(new RegExp(`${bob.name}: echo: ping`));
    expect((await listening.interrupt()).code).toBe(0);
    expect((await bot.interrupt()).code).toBe(0);
  });

  it('tells a listener when the other person adds a device to the conversation', async () => {
    const listening = start(bob, ['listen']);
    await listening.waitFor(/Listening as/);
    // Alice links a second device with the SDK, from the keys in her home (no rchat process holds
    // it now).
    const options = { baseUrl: platform.url, storage: await openFileStorage(alice.home) };
    const aliceHere = await RchatClient.restore(options);
    if (!aliceHere) throw new Error('alice is not signed in');
    await aliceHere.start();
    const laptop = await RchatClient.loginWithIdentity(
      { baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'laptop' },
      alice.name,
      PASSWORD,
      aliceHere.identityKeyPair,
    );
    expect(await aliceHere.addDeviceToConversations(laptop.deviceId)).toBe(1);
    aliceHere.stop();
    await listening.waitFor(new RegExp(`notice: ${alice.name} added a device`));
    expect((await listening.interrupt()).code).toBe(0);
  });

  it('signs out and in: wrong password and a new device are refused with a reason and a non-zero exit', async () => {
    expect((await run(alice, ['logout'])).code).toBe(0);
    const whoami = await run(alice, ['whoami']);
    expect(whoami.code).not.toBe(0);
    expect(whoami.stderr).toMatch(/Not signed in/);

    const [wrong, elsewhere] = await Promise.all([
      run(alice, ['login', alice.name], { RCHAT_PASSWORD: 'not the password at all' }),
      run({ home: join(root, 'new-laptop') }, ['login', alice.name]),
    ]);
    expect(wrong).toMatchObject({
      code: 1,
      stderr: 'rchat: The username or password is wrong.\n',
      stdout: '',
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/new device/);

    const again = await rchat(
      ['login', alice.name, '--password-stdin'],
      env(alice.home, { RCHAT_PASSWORD: '' }),
      { stdin: `${PASSWORD}\n` },
    );
    expect(again.code).toBe(0);
    expect(messageLines((await run(alice, ['history', bob.name, '--limit', '1'])).stdout)).toEqual([
      `${bob.name}: echo: ping`,
    ]);
  });
});
