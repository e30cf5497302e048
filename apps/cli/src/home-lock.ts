import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './command.ts';

/**
 * One rchat process per home at a time. Two processes on the same keys would
 * each cache the conversation's MLS state and write it back over the other's
 * (reusing message keys), and rotate the same refresh token (which revokes the
 * session). The lock is a file holding the owner's pid; one left by a process
 * that no longer runs is taken over. Released when the process exits.
 */
export function lockHome(home: string): void {
  const path = join(home, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      process.once('exit', () => rmSync(path, { force: true }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(readText(path));
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new CliError(
        `Another rchat process (pid ${owner}) is using ${home}. One process at a time keeps this device's encryption state consistent: stop that one first (Ctrl-C in its terminal), or use another --home.`,
      );
    }
    rmSync(path, { force: true });
  }
  throw new CliError(`Could not lock ${home}; try again.`);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
