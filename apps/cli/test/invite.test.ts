import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../tests/support/platform.ts';
import { PASSWORD, uniqueName } from '../../../tests/support/users.ts';
import { rchat } from './cli-process.ts';

// `rchat register` on servers with each registration policy (REGISTRATION=open|invite|closed).
const INVITE = 'autumn-ferry-7731';
let root: string;
const platforms: Platform[] = [];
let homes = 0;

async function start(env: Record<string, string>): Promise<Platform> {
  const platform = await startPlatform({ env });
  platforms.push(platform);
  return platform;
}

/** `rchat <args>` in a fresh home against `platform`, the password from RCHAT_PASSWORD. */
function run(platform: Platform, args: string[], home = join(root, `home-${++homes}`)) {
  return rchat(args, { RCHAT_SERVER: platform.url, RCHAT_HOME: home, RCHAT_PASSWORD: PASSWORD });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rchat-cli-invite-'));
});

afterAll(async () => {
  for (const p of platforms) await p.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('rchat register and the registration policy', () => {
  it('open: registers without an invite code (and ignores one)', async () => {
    const platform = await start({ REGISTRATION: 'open' });
    const plain = await run(platform, ['register', uniqueName('olive')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^Registered olive_/);
    expect(
      (await run(platform, ['register', uniqueName('otto'), '--invite', 'whatever'])).code,
    ).toBe(0);
  });

  it('invite: says how to pass the code, reports a wrong one as refused, and registers with the right one', async () => {
    const platform = await start({
      REGISTRATION: 'invite',
      REGISTRATION_INVITE_CODES: `first-code-0000,${INVITE}`,
    });
    const name = uniqueName('iris');
    const missing = await run(platform, ['register', name]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      `rchat: ${platform.url} accepts new accounts only with an invite code from its operator: rchat register ${name} --invite <code>\n`,
    );

    const wrong = await run(platform, ['register', name, '--invite', 'not-the-code']);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe(
      `rchat: ${platform.url} refused the invite code: This server needs a valid invite code to register. Check the code with the operator.\n`,
    );

    const home = join(root, 'iris');
    const right = await run(platform, ['register', name, '--invite', INVITE], home);
    expect(right.code).toBe(0);
    expect(right.stdout).toContain(`Registered ${name} on ${platform.url}.`);
    expect((await run(platform, ['whoami'], home)).stdout).toContain(name);
    // The code is for registering only.
    const login = await run(platform, ['login', name, '--invite', INVITE], home);
    expect(login.code).toBe(2);
    expect(login.stderr).toMatch(/^rchat: `login` takes no --invite\./);
  });

  it('closed: refuses with a sentence before asking for a password, with or without a code', async () => {
    const platform = await start({ REGISTRATION: 'closed', REGISTRATION_INVITE_CODES: INVITE });
    for (const extra of [[], ['--invite', INVITE]]) {
      const refused = await run(platform, ['register', uniqueName('carl'), ...extra]);
      expect(refused).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `rchat: ${platform.url} does not accept new accounts. Ask its operator for one.\n`,
      });
    }
  });
});
