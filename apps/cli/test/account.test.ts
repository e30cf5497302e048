import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { rejection } from '../../../tests/support/rejection.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { rchat } from './cli-process.ts';

// Erin changes her password, signs out her other sessions and deletes her account with the real
// `rchat` binary; Frank talks to her.
let platform: Platform;
let root: string;
const erin = { name: uniqueName('erin'), home: '' };
const frank = { name: uniqueName('frank'), home: '' };
const NEW_PASSWORD = 'a brand new passphrase 42';

const run = (
  who: { home: string },
  args: string[],
  options: { password?: string; stdin?: string } = {},
) =>
  rchat(
    args,
    {
      RCHAT_SERVER: platform.url,
      RCHAT_HOME: who.home,
      RCHAT_PASSWORD: options.password ?? PASSWORD,
    },
    options.stdin === undefined ? {} : { stdin: options.stdin },
  );

/** Another session of erin's, signed in with the password alone. */
async function otherSession(password: string): Promise<RchatApi> {
  const api = new RchatApi({ baseUrl: platform.url });
  await api.login({ username: erin.name, password, device: { name: 'old laptop' } });
  return api;
}

beforeAll(async () => {
  platform = await startPlatform();
  root = await mkdtemp(join(tmpdir(), 'rchat-account-'));
  erin.home = join(root, 'erin');
  frank.home = join(root, 'frank');
  const [e, f] = await Promise.all([
    run(erin, ['register', erin.name]),
    run(frank, ['register', frank.name]),
  ]);
  expect([e.code, f.code]).toEqual([0, 0]);
});

afterAll(async () => {
  await platform?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat account commands', () => {
  it('change-password: refuses a wrong current password, then signs the other devices out and keeps this one', async () => {
    const other = await otherSession(PASSWORD);
    const wrong = await run(erin, ['change-password', '--password-stdin'], {
      stdin: `not my password\n${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
    });
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe('rchat: The current password is wrong; nothing was changed.\n');

    const changed = await run(erin, ['change-password', '--password-stdin'], {
      stdin: `${PASSWORD}\n${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
    });
    expect(changed).toMatchObject({ code: 0, stderr: '' });
    expect(changed.stdout).toBe(
      'Password changed. 1 other device was signed out: they sign in again with the new password. This device stays signed in.\n',
    );
    expect((await rejection(other.devices())).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await run(erin, ['whoami'])).code).toBe(0);
  });

  it('sign-out-others: ends the other sessions', async () => {
    const other = await otherSession(NEW_PASSWORD);
    const out = await run(erin, ['sign-out-others']);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toMatch(/^Signed out 1 other device: each must sign in again\./); // the first "old laptop" was signed out by the password change
    expect((await rejection(other.devices())).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await run(erin, ['sign-out-others'])).stdout).toBe('No other device was signed in.\n');
  });

  it('delete-account: asks y/N (a no deletes nothing), needs --yes with --password-stdin, then deletes; frank is told and cannot send', async () => {
    expect((await run(erin, ['send', frank.name, 'last words'])).code).toBe(0);
    expect((await run(frank, ['history', erin.name])).code).toBe(0);

    const no = await run(erin, ['delete-account'], { password: NEW_PASSWORD, stdin: 'n\n' });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(`Delete ${erin.name}? [y/N] `);
    expect(no.stderr).toContain('rchat: Nothing was deleted.');
    const piped = await run(erin, ['delete-account', '--password-stdin'], {
      stdin: `${NEW_PASSWORD}\n`,
    });
    expect(piped).toMatchObject({
      code: 1,
      stderr: 'rchat: With --password-stdin, add --yes to confirm the deletion.\n',
    });
    expect((await run(erin, ['whoami'])).code).toBe(0);

    const yes = await run(erin, ['delete-account', '--yes', '--password-stdin'], {
      stdin: `${NEW_PASSWORD}\n`,
    });
    expect(yes).toMatchObject({
      code: 0,
      stdout: `Deleted the account ${erin.name}. Its keys on this device were erased too.\n`,
    });
    expect((await run(erin, ['whoami'])).code).not.toBe(0);
    const login = await run(erin, ['login', erin.name], { password: NEW_PASSWORD });
    expect(login.stderr).toContain('The username or password is wrong');

    const list = await run(frank, ['conversations']);
    expect(list.stdout).toContain(`${erin.name}`);
    expect(list.stdout).toContain('(deleted their account)');
    const send = await run(frank, ['send', erin.name, 'hello?']);
    expect(send).toMatchObject({
      code: 1,
      stderr: `rchat: ${erin.name} deleted their account: messages can no longer be sent to them.\n`,
    });
  });
});
