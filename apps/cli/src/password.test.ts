import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from './command.ts';
import { readPassword } from './password.ts';
import type { Settings } from './settings.ts';

const settings = (over: Partial<Settings>): Settings => ({ server: undefined, home: '/nonexistent', passwordFromEnv: undefined, passwordStdin: false, cwd: '/', ...over });
const io = (stdin: string): Io => ({ out: () => {}, err: () => {}, stdin: Object.assign(Readable.from([stdin]), { isTTY: false }) as unknown as NodeJS.ReadStream });

describe('where the password comes from', () => {
  it('reads --password-stdin up to its final newline, and prefers it to RCHAT_PASSWORD', async () => {
    expect(await readPassword(settings({ passwordStdin: true, passwordFromEnv: 'from env' }), io('pass word\n'), { confirm: true })).toBe('pass word');
  });

  it('takes RCHAT_PASSWORD when no stdin is asked for', async () => {
    expect(await readPassword(settings({ passwordFromEnv: 'from env' }), io(''), { confirm: true })).toBe('from env');
  });

  it('says how to give one when there is no terminal to ask at', async () => {
    await expect(readPassword(settings({}), io(''), { confirm: false })).rejects.toThrow(/RCHAT_PASSWORD or pipe it with --password-stdin/);
    await expect(readPassword(settings({ passwordStdin: true }), io(''), { confirm: false })).rejects.toThrow(/standard input held no password/);
  });
});
