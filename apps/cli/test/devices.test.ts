import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { messageLines, rchat, RchatProcess, type Finished } from './cli-process.ts';

// One person with several devices (each its own --home), and someone to talk to,
// using the real `rchat` binary against the whole platform.
let platform: Platform;
let root: string;
const live: RchatProcess[] = [];
const carol = { name: uniqueName('carol'), home: '' };
const dave = { name: uniqueName('dave'), home: '' };
const restored = { home: '' };
const linked = { home: '' };
let recoveryKey = '';
let linkedId = '';

const env = (home: string, extra: Record<string, string> = {}) => ({
  RCHAT_SERVER: platform.url,
  RCHAT_HOME: home,
  RCHAT_PASSWORD: PASSWORD,
  ...extra,
});
const run = (device: { home: string }, args: string[], stdin?: string) =>
  rchat(
    args,
    env(device.home, stdin === undefined ? {} : { RCHAT_PASSWORD: '' }),
    stdin === undefined ? {} : { stdin },
  );
const captured = (pattern: RegExp, text: string) => pattern.exec(text)?.[1] ?? '';
const deviceIds = (listing: string) =>
  [...listing.matchAll(/[0-9a-f]{8}-[0-9a-f-]{27}/g)].map((m) => m[0]).sort();

beforeAll(async () => {
  platform = await startPlatform();
  root = await mkdtemp(join(tmpdir(), 'rchat-devices-'));
  for (const device of [carol, dave, restored, linked])
    device.home = join(root, String(Math.random()).slice(2));
});

afterAll(async () => {
  for (const p of live) p.kill();
  await platform?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat on several devices of one account', () => {
  it('shows the recovery key once at registration; a login without keys and a wrong key say what to do', async () => {
    const [c, d] = await Promise.all([
      run(carol, ['register', carol.name]),
      run(dave, ['register', dave.name]),
    ]);
    expect(c).toMatchObject({ code: 0, stderr: '' });
    expect(d.code).toBe(0);
    recoveryKey = captured(/^ {4}([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})$/m, c.stdout);
    expect(recoveryKey).not.toBe('');
    expect(c.stdout).toMatch(/write it down/);
    expect(c.stdout).toMatch(/shown only now/);

    const wrongKey = recoveryKey.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'));
    const [sent, keyless, wrong] = await Promise.all([
      run(carol, ['send', dave.name, 'sent before the new devices']),
      run(linked, ['login', carol.name]),
      run(restored, ['restore', carol.name, '--password-stdin'], `${PASSWORD}\n${wrongKey}\n`),
    ]);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain(`\`rchat link ${carol.name}\``);
    expect(keyless.stderr).toContain(`\`rchat restore ${carol.name}\``);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toMatch(
      /^rchat: This recovery key does not open this account’s backup\. Nothing was changed/,
    );
  });

  it('restores from the recovery key on a new device, with the history from before', async () => {
    const restoring = await run(
      restored,
      ['restore', carol.name, '--password-stdin'],
      `${PASSWORD}\n${recoveryKey}\n`,
    );
    expect(restoring).toMatchObject({ code: 0, stderr: '' });
    expect(restoring.stdout).toMatch(new RegExp(`^Restored ${carol.name} on `));
    expect(messageLines((await run(restored, ['history', dave.name])).stdout)).toEqual([
      `${carol.name}: sent before the new devices`,
    ]);
  });

  it('links a device: both sides show the same check code, both confirm it, and the linked one reads new messages', async () => {
    const linking = new RchatProcess(['link', carol.name], env(linked.home), 'y\n');
    live.push(linking);
    await linking.waitFor(/^Link code: \S+$/m);
    const code = captured(/^Link code: (\S+)$/m, linking.stdout);
    const confirming = await run(carol, ['link-device', code], 'y\n');
    expect(confirming.code).toBe(0);
    expect(confirming.stdout).toMatch(/^Linked rchat CLI on .+; added it to 1 conversation\.$/m);
    expect(confirming.stderr).toContain('Waiting for the new device to confirm…');
    const finished = await linking.exited;
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain('Do the check codes match? [y/N] ');
    expect(finished.stdout).toMatch(
      new RegExp(`^Linked: this device is signed in as ${carol.name} on `, 'm'),
    );
    const checkCode = /^Check code: (\d{3} \d{3})/m;
    expect(captured(checkCode, finished.stdout)).not.toBe('');
    expect(captured(checkCode, finished.stdout)).toBe(captured(checkCode, confirming.stdout));
    linkedId = captured(/^New device: .+ \(([0-9a-f-]{36})\)$/m, confirming.stdout);

    expect((await run(dave, ['send', carol.name, 'after linking'])).code).toBe(0);
    expect(messageLines((await run(linked, ['history', dave.name])).stdout)).toEqual([
      `${carol.name}: sent before the new devices`,
      `${dave.name}: after linking`,
    ]);
  });

  it('lists the devices and removes the linked one; sets a backup passphrase', async () => {
    // Meanwhile, the other two devices set a backup passphrase: a short one is refused.
    const [before, passphrase, short] = await Promise.all([
      run(carol, ['devices']),
      run(restored, ['set-passphrase', '--password-stdin'], 'correct horse battery\n'),
      run(linked, ['set-passphrase', '--password-stdin'], 'too short\n'),
    ]);
    expect(passphrase).toMatchObject({ code: 0, stderr: '' });
    expect(passphrase.stdout).toContain(`\`rchat restore ${carol.name} --passphrase\``);
    expect(short).toMatchObject({
      code: 1,
      stderr: 'rchat: A passphrase has at least 10 characters.\n',
    });
    expect(before.code).toBe(0);
    const [header, ...rows] = before.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^name\s+id\s+created\s+last seen$/);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.endsWith('(this device)'))).toHaveLength(1);
    expect(rows.some((r) => r.includes(linkedId))).toBe(true);

    // Meanwhile, linking another device is started and cancelled with Ctrl-C: it leaves no device
    // behind.
    const [removed, cancelled] = await Promise.all([
      run(carol, ['remove-device', linkedId]),
      cancelledLink(),
    ]);
    expect(cancelled).toMatchObject({
      code: 130,
      stderr: expect.stringContaining('Linking was cancelled: nothing was shared') as unknown,
    });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      new RegExp(`^Removed rchat CLI on .+ \\(${linkedId}\\): it is signed out`),
    );
    // Before it changes keys, the device catches up, and shows what came meanwhile.
    expect(messageLines(removed.stderr)).toEqual([`${dave.name}: after linking`]);
    const after = await run(carol, ['devices']);
    expect(after.stdout).not.toContain(linkedId);
    expect(after.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('a new device whose person says the check codes differ gets nothing, and both sides stop', async () => {
    const refusing = { home: join(root, 'refusing') };
    const devicesBefore = (await run(carol, ['devices'])).stdout;
    expect(deviceIds(devicesBefore)).toHaveLength(2);
    // Scripted: with --password-stdin the answer to the check code question is the line after the
    // password.
    const linking = new RchatProcess(
      ['link', carol.name, '--password-stdin'],
      env(refusing.home, { RCHAT_PASSWORD: '' }),
      `${PASSWORD}\nn\n`,
    );
    live.push(linking);
    await linking.waitFor(/^Link code: \S+$/m);
    const code = captured(/^Link code: (\S+)$/m, linking.stdout);
    const [confirming, refused] = await Promise.all([
      run(carol, ['link-device', code], 'y\n'),
      linking.exited,
    ]);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toMatch(
      /^rchat: Not linked: the check codes differ, so nothing was shared and this device is not signed in\./m,
    );
    expect(confirming).toMatchObject({ code: 1 });
    expect(confirming.stderr).toMatch(
      /^rchat: Linking was cancelled on the other device; nothing was shared\.$/m,
    );
    expect(confirming.stdout).not.toMatch(/^Linked /m);
    // Nothing stayed behind: the refusing home is signed in to nothing, and the account's devices
    // are as before.
    expect((await run(refusing, ['whoami'])).code).not.toBe(0);
    expect(deviceIds((await run(carol, ['devices'])).stdout)).toEqual(deviceIds(devicesBefore));
  });
});

/** `rchat link` on a fresh home, interrupted once it shows its code. */
async function cancelledLink(): Promise<Finished> {
  const linking = new RchatProcess(['link', carol.name], env(join(root, 'cancelled')));
  live.push(linking);
  await linking.waitFor(/^Link code: /m);
  return linking.interrupt();
}
