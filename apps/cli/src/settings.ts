import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, USAGE } from './command.ts';

export const DEFAULT_SERVER = 'http://localhost:8080';

/** Where the client talks to and keeps its state, resolved once from flags and the environment. */
export interface Settings {
  /**
   * From `--server` or `RCHAT_SERVER`; undefined means "the server this home signed in to, else the
   * default".
   */
  server: string | undefined;
  /** Directory of this device's keys and state. */
  home: string;
  /** `RCHAT_PASSWORD`, for scripts. */
  passwordFromEnv: string | undefined;
  /** `--password-stdin`: read the password from standard input. */
  passwordStdin: boolean;
  /**
   * Where relative paths are from: the directory `npm run rchat` was started in, else this
   * process's.
   */
  cwd: string;
}

/** The only place the client reads its environment. */
export function resolveSettings(
  flags: {
    server?: string | undefined;
    home?: string | undefined;
    passwordStdin?: boolean | undefined;
  },
  env: NodeJS.ProcessEnv,
): Settings {
  const server = flags.server ?? nonEmpty(env.RCHAT_SERVER);
  const cwd = nonEmpty(env.INIT_CWD) ?? process.cwd(); // npm runs scripts from the package root and names the caller's directory here
  return {
    server: server === undefined ? undefined : serverUrl(server),
    home: resolve(
      cwd,
      flags.home ??
        nonEmpty(env.RCHAT_HOME) ??
        join(nonEmpty(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config'), 'rchat'),
    ),
    passwordFromEnv: nonEmpty(env.RCHAT_PASSWORD),
    passwordStdin: flags.passwordStdin ?? false,
    cwd,
  };
}

/** An http(s) URL without a trailing slash, or a usage error that says what is expected. */
export function serverUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new CliError(
      `The server must be an http:// or https:// URL, like ${DEFAULT_SERVER} (got "${value}").`,
      USAGE,
    );
  return url.toString().replace(/\/$/, '');
}

const nonEmpty = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;
