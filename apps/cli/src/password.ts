import { CliError, type Io } from './command.ts';
import { HiddenLines } from './hidden-lines.ts';
import { ask } from './question.ts';
import type { Settings } from './settings.ts';

/**
 * The secrets a command reads, in the order it asks for them. With
 * `--password-stdin` they all come from standard input, one a line (the
 * password first; `restore` then reads the recovery key or passphrase from
 * the next line). Otherwise the password comes from `RCHAT_PASSWORD`, else
 * from the terminal, and the other secrets from the terminal: typed without
 * echo, twice when `confirm`. Never from a flag, which would land in the
 * shell history.
 */
export class SecretInput {
  private lines: Promise<string[]> | undefined;
  private terminal: HiddenLines | undefined;
  private taken = 0;

  constructor(
    private readonly settings: Settings,
    private readonly io: Io,
  ) {}

  /** The account password. */
  password(options: { confirm: boolean }): Promise<string> {
    if (!this.settings.passwordStdin && this.settings.passwordFromEnv !== undefined)
      return Promise.resolve(this.settings.passwordFromEnv);
    return this.secret('Password', options, 'set RCHAT_PASSWORD or pipe it with --password-stdin');
  }

  /** Another secret (`label` is its prompt, like "Recovery key"). */
  async secret(
    label: string,
    options: { confirm: boolean },
    scripted = 'pipe it with --password-stdin',
  ): Promise<string> {
    const name = label.toLowerCase();
    if (this.settings.passwordStdin) {
      const line = await this.nextLine();
      if (!line)
        throw new CliError(
          `--password-stdin was given but standard input held no ${name}${this.taken > 1 ? ` on line ${this.taken} (one secret a line)` : ''}.`,
        );
      return line;
    }
    if (!this.io.stdin.isTTY)
      throw new CliError(`No ${name}: type it at a terminal, or for scripts ${scripted}.`);
    const terminal = (this.terminal ??= new HiddenLines(this.io.stdin));
    const value = await terminal.read(`${label}: `);
    if (options.confirm && (await terminal.read(`${label} (again): `)) !== value)
      throw new CliError(`The two ${name}s differ; nothing was changed.`);
    return value;
  }

  /**
   * A plain answer, such as a confirmation: with `--password-stdin` the next
   * line of standard input (after the secrets before it), else asked with
   * echo ('' when input ends).
   */
  async answer(prompt: string, signal?: AbortSignal): Promise<string> {
    return this.settings.passwordStdin
      ? (await this.nextLine()).trim()
      : ask(this.io, prompt, signal);
  }

  private async nextLine(): Promise<string> {
    const lines = await (this.lines ??= readAll(this.io.stdin).then((text) => text.split(/\r?\n/)));
    return lines[this.taken++] ?? '';
  }
}

/** The password for register and login (see SecretInput). */
export function readPassword(
  settings: Settings,
  io: Io,
  options: { confirm: boolean },
): Promise<string> {
  return new SecretInput(settings, io).password(options);
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += String(chunk);
  return text;
}
