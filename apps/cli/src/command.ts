import type { Home } from './home.ts';
import type { Settings } from './settings.ts';

/** Where a command writes: results on stdout, notices and errors on stderr. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadStream;
}

/** Options a command may take besides the global ones (`--server`, `--home`, `--help`). */
export type CommandOption = 'limit' | 'password-stdin' | 'passphrase' | 'yes' | 'invite';

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  limit: number | undefined;
  /**
   * `--passphrase`: `restore` unlocks the key backup with the passphrase instead of the recovery
   * key.
   */
  passphrase: boolean;
  /** `--yes`: an irreversible command (delete-account) does not ask for confirmation. */
  yes: boolean;
  /** `--invite CODE`: `register` on a server that accepts new accounts only with an invite code. */
  invite: string | undefined;
  settings: Settings;
  /** This device's home, locked for this process unless `lock` is false (see home-lock.ts). */
  openHome(options?: { lock: boolean }): Promise<Home>;
  io: Io;
}

export interface Command {
  name: string;
  /** Shown in the usage: the arguments after the command name. */
  synopsis: string;
  summary: string;
  options: CommandOption[];
  /** How many positional arguments: exactly `min` when `max` is equal, `Infinity` for "or more". */
  args: { min: number; max: number };
  /** Resolves with the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A failure the user can act on: its message is printed as is, and the process exits with
 * `exitCode`.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit code for wrong usage (unknown command, missing argument, bad option). */
export const USAGE = 2;
