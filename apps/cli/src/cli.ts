import { parseArgs } from 'node:util';
import { RchatError } from '@rchat/sdk';
import { CliError, USAGE, type Command, type CommandOption, type Io } from './command.ts';
import { commands } from './commands/index.ts';
import { openHome, type Home } from './home.ts';
import { identityResetText } from './identity-texts.ts';
import { flushBackups } from './session.ts';
import { resolveSettings } from './settings.ts';

const optionSpec = {
  server: { type: 'string' },
  home: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  limit: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  passphrase: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  invite: { type: 'string' },
} as const;

/**
 * Runs one `rchat` command line; resolves with the exit code. Errors are printed as sentences,
 * never as stacks.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let home: Home | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: optionSpec,
      allowPositionals: true,
      strict: true,
    });
    const [name, ...args] = positionals;
    if (name === undefined || name === 'help') {
      (name === undefined && !values.help ? io.err : io.out)(usage());
      return name === undefined && !values.help ? USAGE : 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new CliError(`There is no command "${name}".\n\n${usage()}`, USAGE);
    if (values.help) {
      io.out(commandUsage(command));
      return 0;
    }
    for (const option of [
      'limit',
      'password-stdin',
      'passphrase',
      'yes',
      'invite',
    ] as const satisfies readonly CommandOption[]) {
      if (values[option] !== undefined && !command.options.includes(option))
        throw new CliError(`\`${name}\` takes no --${option}.\n\n${commandUsage(command)}`, USAGE);
    }
    if (args.length < command.args.min || args.length > command.args.max)
      throw new CliError(`Wrong number of arguments.\n\n${commandUsage(command)}`, USAGE);
    const settings = resolveSettings(
      { server: values.server, home: values.home, passwordStdin: values['password-stdin'] },
      env,
    );
    const limit = parseLimit(values.limit);
    return await command.run({
      args,
      limit,
      passphrase: values.passphrase ?? false,
      yes: values.yes ?? false,
      invite: values.invite,
      settings,
      io,
      openHome: async (options) => (home = await openHome(settings, options)),
    });
  } catch (e) {
    io.err(`rchat: ${describe(e, home)}`);
    return e instanceof CliError ? e.exitCode : isParseError(e) ? USAGE : 1;
  } finally {
    await flushBackups();
  }
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(
      `--limit takes a whole number of messages, 1 or more (got "${value}").`,
      USAGE,
    );
  return n;
}

/**
 * The sentence for an error: the SDK's and the server's messages are written for people already.
 */
function describe(e: unknown, home: Home | undefined): string {
  if (e instanceof RchatError && (e.code === 'NETWORK' || e.code === 'TIMEOUT') && home)
    return `${e.message} (server: ${home.server})`;
  if (e instanceof RchatError && e.code === 'IDENTITY_RESET') return identityResetText();
  return e instanceof Error ? e.message : String(e);
}

const isParseError = (e: unknown) =>
  e instanceof TypeError &&
  'code' in e &&
  typeof e.code === 'string' &&
  e.code.startsWith('ERR_PARSE_ARGS');

function commandUsage(c: Command): string {
  return `Usage: rchat ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}${c.options.includes('password-stdin') ? ' [--password-stdin]' : ''}\n  ${c.summary}\n\n${globalOptions}`;
}

export function usage(): string {
  const lines = commands.map((c) => `  ${`${c.name} ${c.synopsis}`.padEnd(36)}${c.summary}`);
  return [
    'rchat: end-to-end encrypted messaging in the terminal',
    '',
    'Usage: rchat <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    globalOptions,
  ].join('\n');
}

const globalOptions = `Options:
  --server URL        the server (or RCHAT_SERVER); default: the one this device signed in to, else http://localhost:8080
  --home DIR          this device's keys and state (or RCHAT_HOME); default: $XDG_CONFIG_HOME/rchat or ~/.config/rchat
  --password-stdin    read the password from standard input (or set RCHAT_PASSWORD), else it is asked for
                      at the terminal; restore then reads the recovery key (or passphrase) from the next
                      line, set-passphrase reads the passphrase, change-password the new password
  --passphrase        restore unlocks the key backup with the passphrase instead of the recovery key
  -y, --yes           delete-account deletes without asking for confirmation (for scripts)
  --invite CODE       register with the invite code the server's operator gave you (servers that accept
                      new accounts by invitation only)
  -h, --help          this help`;
