import { linkSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './command.ts';

const RELEASED = 'released';
const lockName = /^lock\.(\d+)$/;

/**
 * One rchat process per home at a time. Two processes on the same keys would
 * each cache the conversation's MLS state and write it back over the other's
 * (reusing message keys), and rotate the same refresh token (which revokes the
 * session).
 *
 * The lock is the file `lock.<n>` with the highest n; it holds its owner's
 * pid, or `released` once the owner exited. Every file is created whole
 * (linked into place after its content is written) and only with exclusive
 * creation, so of several processes taking over at once from an owner that
 * no longer runs, exactly one creates `lock.<n+1>`. One that read an older
 * listing may create a lower number; it looks again right after and backs off
 * when a higher one exists. The highest file is never removed (n only grows), so
 * a process that sees no higher number than its own after creating it holds the lock.
 */
export function lockHome(home: string): void {
  refuseIfLegacyLockHeld(home);
  for (let attempt = 0; attempt < 10; attempt++) {
    const top = generations(home).at(-1) ?? 0;
    if (top > 0) {
      const owner = readText(join(home, `lock.${top}`));
      if (owner === null) continue; // removed as we looked: look again
      const pid = Number(owner);
      if (
        owner !== RELEASED &&
        Number.isInteger(pid) &&
        pid > 0 &&
        pid !== process.pid &&
        isRunning(pid)
      )
        throw heldBy(pid, home);
    }
    const mine = top + 1;
    if (!createWhole(home, `lock.${mine}`, String(process.pid))) continue; // another process took this number
    if (generations(home).some((n) => n > mine)) {
      rmSync(join(home, `lock.${mine}`), { force: true });
      continue;
    }
    for (const n of generations(home))
      if (n < mine) rmSync(join(home, `lock.${n}`), { force: true });
    process.once('exit', () => release(home, `lock.${mine}`));
    return;
  }
  throw new CliError(`Could not lock ${home}; try again.`);
}

function heldBy(pid: number, home: string): CliError {
  return new CliError(
    `Another rchat process (pid ${pid}) is using ${home}. One process at a time keeps this device's encryption state consistent: stop that one first (Ctrl-C in its terminal), or use another --home.`,
  );
}

/**
 * The `lock` file of earlier versions: a running owner still holds the home; a stale one is
 * cleared.
 */
function refuseIfLegacyLockHeld(home: string): void {
  const owner = Number(readText(join(home, 'lock')));
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner))
    throw heldBy(owner, home);
  rmSync(join(home, 'lock'), { force: true });
}

function generations(home: string): number[] {
  return readdirSync(home)
    .map((name) => lockName.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Creates `name` with its content in one step, only if it does not exist yet. */
function createWhole(home: string, name: string, content: string): boolean {
  const temp = join(home, `.lock-${process.pid}-${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, join(home, name));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** On exit the lock file stays (the number must not go down) but says it is free. */
function release(home: string, name: string): void {
  try {
    const temp = join(home, `.lock-${process.pid}-released`);
    writeFileSync(temp, RELEASED, { mode: 0o600 });
    renameSync(temp, join(home, name));
  } catch {
    // The home is gone: nothing to release.
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
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
