import { CliError, type Io } from './command.ts';
import type { Settings } from './settings.ts';

/**
 * The password for register and login: from standard input with
 * `--password-stdin`, else from `RCHAT_PASSWORD`, else typed at a terminal
 * without echo (twice when `confirm`). Never from a flag, which would land in
 * the shell history.
 */
export async function readPassword(settings: Settings, io: Io, options: { confirm: boolean }): Promise<string> {
  if (settings.passwordStdin) {
    const text = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (!text) throw new CliError('--password-stdin was given but standard input held no password.');
    return text;
  }
  if (settings.passwordFromEnv !== undefined) return settings.passwordFromEnv;
  if (!io.stdin.isTTY) throw new CliError('No password: type it at a terminal, or for scripts set RCHAT_PASSWORD or pipe it with --password-stdin.');
  const terminal = new HiddenLines(io.stdin);
  const password = await terminal.read('Password: ');
  if (options.confirm && (await terminal.read('Password (again): ')) !== password) throw new CliError('The two passwords differ; nothing was changed.');
  return password;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/**
 * Reads lines from a terminal in raw mode, echoing nothing; Ctrl-C cancels.
 * Keys typed ahead (before the prompt) arrive in one chunk, so what follows
 * a line is kept for the next one. Prompts go to stderr.
 */
class HiddenLines {
  private rest = '';

  constructor(private readonly stdin: NodeJS.ReadStream) {}

  read(prompt: string): Promise<string> {
    const stdin = this.stdin;
    process.stderr.write(prompt);
    return new Promise((resolve, reject) => {
      let value = '';
      const finish = (outcome: () => void) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
        outcome();
      };
      const take = (text: string): boolean => {
        for (let i = 0; i < text.length; i++) {
          const ch = text.charAt(i);
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            this.rest = text.slice(ch === '\r' && text.charAt(i + 1) === '\n' ? i + 2 : i + 1);
            finish(() => resolve(value));
            return true;
          }
          if (ch === '\u0003') {
            finish(() => reject(new CliError('Cancelled.', 130)));
            return true;
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch >= ' ') value += ch;
        }
        return false;
      };
      const onData = (chunk: string) => void take(chunk);
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      stdin.on('data', onData);
      stdin.resume();
      const typedAhead = this.rest;
      this.rest = '';
      take(typedAhead);
    });
  }
}
