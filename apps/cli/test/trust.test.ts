import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe, waitForTexts, type TestClient } from '../../../tests/support/clients.ts';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { rchat, RchatProcess } from './cli-process.ts';

// Alice in a terminal (the real `rchat` binary), bob on the SDK; then bob
// resets his encryption identity, and later alice hers, from another home.
let platform: Platform;
let root: string;
const live: RchatProcess[] = [];
const stopped: RchatClient[] = [];
const alice = { name: uniqueName('alice'), home: '' };
let bob: TestClient;
let bobAfterReset: TestClient;

const env = (home: string, extra: Record<string, string> = {}) => ({
  RCHAT_SERVER: platform.url,
  RCHAT_HOME: home,
  RCHAT_PASSWORD: PASSWORD,
  ...extra,
});
const run = (home: string, args: string[], stdin?: string) =>
  rchat(args, env(home), stdin === undefined ? {} : { stdin });
const FINGERPRINT = /[0-9a-f]{4}( [0-9a-f]{4}){7}/;

beforeAll(async () => {
  platform = await startPlatform();
  root = await mkdtemp(join(tmpdir(), 'rchat-trust-'));
  alice.home = join(root, 'alice');
  const storage = createMemoryStorage();
  bob = observe(
    await RchatClient.register(
      { baseUrl: platform.url, storage, deviceName: 'bob phone' },
      uniqueName('bob'),
      PASSWORD,
    ),
    storage,
  );
  stopped.push(bob.client);
  await bob.client.start();
});

afterAll(async () => {
  for (const p of live) p.kill();
  for (const c of stopped) c.stop();
  await platform?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat when an encryption identity changes', () => {
  it('lists the devices of a conversation with their owners and key fingerprints', async () => {
    expect((await run(alice.home, ['register', alice.name])).code).toBe(0);
    expect(await run(alice.home, ['send', bob.client.username, 'hello bob'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    const listed = await run(alice.home, ['devices', bob.client.username]);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^user\s+device\s+added\s+key fingerprint$/);
    expect(rows).toHaveLength(2);
    const [conversation] = await bob.client.conversations();
    const bobsPhone = (await bob.client.conversationDevices(conversation?.id ?? '')).find(
      (d) => d.current,
    );
    expect(bobsPhone?.fingerprint).toMatch(FINGERPRINT);
    expect(rows[0]).toMatch(
      new RegExp(`^${bob.client.username}\\s+bob phone\\s+.+\\s+${bobsPhone?.fingerprint}$`),
    );
    expect(rows[1]).toMatch(new RegExp(`^${alice.name}\\s+.+\\(this device\\)$`));

    const none = await run(alice.home, ['devices', 'nobody_here']);
    expect(none).toMatchObject({
      code: 1,
      stderr:
        'rchat: You have no conversation with nobody_here: `rchat conversations` lists yours.\n',
    });
  });

  it('refuses to send after bob reset his identity, naming the command that accepts; sends once alice accepted', async () => {
    const storage = createMemoryStorage();
    bobAfterReset = observe(
      await RchatClient.resetIdentity(
        { baseUrl: platform.url, storage, deviceName: 'bob new phone' },
        bob.client.username,
        PASSWORD,
      ),
      storage,
    );
    stopped.push(bobAfterReset.client);
    await bobAfterReset.client.start();
    const name = bob.client.username;

    const refused = await run(alice.home, ['send', name, 'are you there?']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`rchat: ${name}'s encryption identity changed (reset `);
    expect(refused.stderr).toContain(
      `(\`rchat safety-number ${name}\`), then accept it with \`rchat accept-identity ${name}\`.`,
    );
    const listed = await run(alice.home, ['conversations']);
    expect(listed.stdout).toContain(
      `sending is paused until you accept it with \`rchat accept-identity ${name}\``,
    );
    const safety = await run(alice.home, ['safety-number', name]);
    expect(safety.code).toBe(0);
    expect(safety.stderr).toMatch(/^WARNING: .*encryption identity changed/);

    const accepted = await run(alice.home, ['accept-identity', name]);
    expect(accepted).toMatchObject({ code: 0, stderr: '' });
    expect(accepted.stdout).toMatch(new RegExp(`^Accepted ${name}'s new encryption identity`));
    expect((await run(alice.home, ['accept-identity', name])).stdout).toBe(
      `Nothing to accept: ${name}'s encryption identity has not changed.\n`,
    );

    expect(await run(alice.home, ['send', name, 'after accepting'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    const [conversation] = await bobAfterReset.client.conversations();
    expect(
      await waitForTexts(bobAfterReset, conversation?.id ?? '', conversation?.peer.userId ?? '', 1),
    ).toEqual(['after accepting']);
    const devices = (await run(alice.home, ['devices', name])).stdout;
    expect(devices).toContain('bob new phone');
    expect(devices).not.toMatch(/bob phone/);
  });

  it('resets alice\'s identity from a new home only after "reset" is typed; her listening device stops with the alert', async () => {
    const listening = new RchatProcess(['listen'], env(alice.home));
    live.push(listening);
    await listening.waitFor(/Listening as/);
    const lost = join(root, 'alice-new-laptop');

    const declined = await run(lost, ['reset-identity', alice.name], 'no\n');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('does not bring old messages back');
    expect(declined.stderr).toContain('Not reset: nothing was changed.');
    expect(listening.running).toBe(true);

    const reset = await run(lost, ['reset-identity', alice.name], 'reset\n');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(new RegExp(`^Reset the encryption identity of ${alice.name} on `));
    expect(reset.stdout).toMatch(/^ {4}[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/m);

    const ended = await listening.exited;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain(
      `rchat: Someone reset the encryption identity of ${alice.name}, so this device was signed out`,
    );
    // A command on the old home says the same; one on the new home finds bob's conversation waiting
    // for him to accept.
    const old = await run(alice.home, ['send', bob.client.username, 'from the old home']);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('Someone reset the encryption identity');
    const [conversation] = await bobAfterReset.client.conversations();
    await expect
      .poll(async () => (await bobAfterReset.client.conversations())[0]?.encryption, {
        timeout: 30_000,
      })
      .toBe('identity-changed');
    await expect(
      bobAfterReset.client.sendText(conversation?.id ?? '', 'not yet'),
    ).rejects.toMatchObject({ code: 'IDENTITY_CHANGED' });
  });

  it('refuses a reset on the home that holds the identity', async () => {
    const refused = await run(
      join(root, 'alice-new-laptop'),
      ['reset-identity', alice.name],
      'reset\n',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/holds its encryption identity: there is nothing to reset/);
  });
});
