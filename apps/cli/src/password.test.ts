import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Io } from './command.ts';
import { readPassword, SecretInput } from './password.ts';
import type { Settings } from './settings.ts';

const settings = (over: Partial<Settings>): Settings => ({
  server: undefined,
  home: '/nonexistent',
  passwordFromEnv: undefined,
  passwordStdin: false,
  cwd: '/',
  ...over,
});
const io = (stdin: string): Io => ({
  out: () => {},
  err: () => {},
  stdin: Object.assign(Readable.from([stdin]), { isTTY: false }) as unknown as NodeJS.ReadStream,
});

describe('where the password comes from', () => {
  it('reads --password-stdin up to its final newline, and prefers it to RCHAT_PASSWORD', async () => {
    expect(
      await readPassword(
        settings({ passwordStdin: true, passwordFromEnv: 'from env' }),
        io('pass word\n'),
        { confirm: true },
      ),
    ).toBe('pass word');
  });

  it('takes RCHAT_PASSWORD when no stdin is asked for', async () => {
    expect(
      await readPassword(settings({ passwordFromEnv: 'from env' }), io(''), { confirm: true }),
    ).toBe('from env');
  });

  it('says how to give one when there is no terminal to ask at', async () => {
    await expect(readPassword(settings({}), io(''), { confirm: false })).rejects.toThrow(
      /RCHAT_PASSWORD or pipe it with --password-stdin/,
    );
    await expect(
      readPassword(settings({ passwordStdin: true }), io(''), { confirm: false }),
    ).rejects.toThrow(/standard input held no password/);
  });

  it('reads the secrets after the password from the next lines of stdin, in the order asked', async () => {
    const input = new SecretInput(
      settings({ passwordStdin: true }),
      io('pass word\r\nK7QM-3XTP\n'),
    );
    expect(await input.password({ confirm: false })).toBe('pass word');
    expect(await input.secret('Recovery key', { confirm: false })).toBe('K7QM-3XTP');
    await expect(input.secret('Passphrase', { confirm: false })).rejects.toThrow(
      'standard input held no passphrase on line 3 (one secret a line)',
    );
  });

  it('takes only the password from RCHAT_PASSWORD: other secrets are typed or piped', async () => {
    const input = new SecretInput(settings({ passwordFromEnv: 'from env' }), io(''));
    expect(await input.password({ confirm: false })).toBe('from env');
    await expect(input.secret('Recovery key', { confirm: false })).rejects.toThrow(
      'No recovery key: type it at a terminal, or for scripts pipe it with --password-stdin.',
    );
  });
});

/** A terminal that types `keys`, in one burst, once the program reads. */
function terminal(keys: string): Io {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
  stdin.write(keys);
  return { out: () => {}, err: () => {}, stdin: stdin as unknown as NodeJS.ReadStream };
}

describe('typing the password at a terminal', () => {
  it('asks twice to register; keys typed ahead of the prompts count, and backspace erases', async () => {
    const prompts = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      expect(
        await readPassword(settings({}), terminal('sekrit\x7f\x7fet words\rsekret words\r'), {
          confirm: true,
        }),
      ).toBe('sekret words');
      expect(prompts.mock.calls.map(([text]) => text)).toEqual([
        'Password: ',
        '\n',
        'Password (again): ',
        '\n',
      ]);
      await expect(
        readPassword(settings({}), terminal('one\rtwo\r'), { confirm: true }),
      ).rejects.toThrow(/differ/);
      await expect(
        readPassword(settings({}), terminal('abc\x03'), { confirm: false }),
      ).rejects.toMatchObject({ exitCode: 130 });
    } finally {
      prompts.mockRestore();
    }
  });
});
