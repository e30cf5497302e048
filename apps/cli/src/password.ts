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
  const password = await promptHidden(io.stdin, 'Password: ');
  if (options.confirm && (await promptHidden(io.stdin, 'Password (again): ')) !== password) throw new CliError('The two passwords differ; nothing was changed.');
  return password;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Reads one line from a terminal in raw mode, echoing nothing; Ctrl-C cancels. The prompt goes to stderr. */
function promptHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(value));
        if (ch === '\u0003') return finish(() => reject(new CliError('Cancelled.', 130)));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
