import { describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import type { Io } from './command.ts';

/** Runs a command line that fails before it touches any home or server. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines = { out: [] as string[], err: [] as string[] };
  const io: Io = {
    out: (l) => lines.out.push(l),
    err: (l) => lines.err.push(l),
    stdin: process.stdin,
  };
  const code = await runCli(argv, {}, io);
  return { code, out: lines.out.join('\n'), err: lines.err.join('\n') };
}

describe('rchat command line', () => {
  it('lists every command on --help, and says which command is unknown', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of [
      'register',
      'login',
      'logout',
      'whoami',
      'users',
      'send',
      'listen',
      'history',
      'conversations',
      'safety-number',
      'bot',
      'link',
      'link-device',
      'restore',
      'set-passphrase',
      'devices',
      'remove-device',
      'change-password',
      'sign-out-others',
      'delete-account',
    ])
      expect(help.out).toContain(`  ${name} `);
    expect(await cli(['frob'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('There is no command "frob"') as unknown,
    });
    expect((await cli([])).code).toBe(2);
  });

  it('refuses wrong usage with exit code 2 and the command usage', async () => {
    expect(await cli(['send', 'bob'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('Usage: rchat send <username> <text…>') as unknown,
    });
    expect(await cli(['send', 'bob', 'hi', '--limit', '3'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('`send` takes no --limit') as unknown,
    });
    expect(await cli(['history', 'bob', '--limit', '0'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--limit takes a whole number') as unknown,
    });
    expect(await cli(['whoami', '--server', 'ftp://example.org'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('http:// or https:// URL') as unknown,
    });
  });

  it('refuses a user search shorter than 3 characters before it asks the server', async () => {
    expect(await cli(['users', 'al'])).toMatchObject({
      code: 2,
      err: 'rchat: Type at least 3 characters of a username to search (got "al").',
    });
    expect(await cli(['users', ' A  '])).toMatchObject({
      code: 2,
      err: 'rchat: Type at least 3 characters of a username to search (got "a").',
    });
  });

  it('has no --password flag (it would land in the shell history)', async () => {
    expect(await cli(['login', 'bob', '--password', 'secret'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("Unknown option '--password'") as unknown,
    });
    expect(await cli(['link', 'bob', '--passphrase'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('`link` takes no --passphrase') as unknown,
    });
  });
});
