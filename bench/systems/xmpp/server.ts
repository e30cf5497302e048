import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  descendants,
  run,
  spawnServer,
  stopGroup,
  waitForPort,
  type Managed,
} from '../../lib/proc.ts';

/** What the generic XMPP driver needs from a server's lifecycle. */
export interface XmppServer {
  readonly software: string;
  readonly domain: string;
  readonly port: number;
  readonly settings: Record<string, string | number | boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  pids(): number[];
  version(): Promise<string>;
}

/** Open-file limit given to every server (runuser resets the soft limit to 1024). */
export const SERVER_NOFILE = 20000;

export async function debVersion(pkg: string): Promise<string> {
  return (await run('dpkg-query', ['-W', '-f=${Version}', pkg]).catch(() => '?')).trim();
}

/** Renders a config template from bench/peers/ with @@KEY@@ placeholders. */
export function renderTemplate(templateUrl: URL, values: Record<string, string>): string {
  let text = readFileSync(templateUrl, 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.split(`@@${key}@@`).join(value);
  return text;
}

/** A temp dir owned by a system user, for a server's config and data. */
export function userTempDir(prefix: string, user: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  const fields = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`))
    ?.split(':');
  const uid = Number(fields?.[2]);
  const gid = Number(fields?.[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error(`system user ${user} missing (is the package installed? run bench/setup.sh)`);
  chownSync(dir, uid, gid);
  return dir;
}

/** Writes a file owned by the same user and group as `ownerOf` (a directory). */
export function writeOwned(path: string, text: string, ownerOf: string): void {
  writeFileSync(path, text);
  const { uid, gid } = statSync(ownerOf);
  chownSync(path, uid, gid);
}

/** Creates a directory owned by the same user and group as `ownerOf`. */
export function mkdirOwned(path: string, ownerOf: string): void {
  mkdirSync(path, { recursive: true });
  const { uid, gid } = statSync(ownerOf);
  chownSync(path, uid, gid);
}

/** Runs a server as `user` in its own process group with a raised open-file limit. */
export class UserProcess {
  private managed: Managed | undefined;

  constructor(
    private readonly user: string,
    private readonly label: string,
  ) {}

  start(commandLine: string, env: NodeJS.ProcessEnv): void {
    this.managed = spawnServer(
      'runuser',
      ['-u', this.user, '--', 'sh', '-c', `ulimit -n ${SERVER_NOFILE} && exec ${commandLine}`],
      env,
    );
  }

  async ready(port: number, timeoutMs: number): Promise<void> {
    const managed = this.managed;
    if (managed === undefined) throw new Error(`${this.label} not started`);
    try {
      await waitForPort(
        port,
        timeoutMs,
        '127.0.0.1',
        () => managed.child.exitCode === null && managed.child.signalCode === null,
      );
    } catch (e) {
      throw new Error(`${this.label} did not start: ${(e as Error).message}\n${managed.tail()}`);
    }
  }

  /** The server process tree (runuser, sh exec'd away, the server and its helpers). */
  pids(): number[] {
    const pid = this.managed?.child.pid;
    return pid === undefined ? [] : [pid, ...descendants(pid)];
  }

  tail(): string {
    return this.managed?.tail() ?? '';
  }

  async stop(): Promise<void> {
    if (this.managed !== undefined) await stopGroup(this.managed.child, 8000);
    this.managed = undefined;
  }
}

export function removeDir(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** A log file's text, or '' when it does not exist. */
export function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Shared lifecycle of a Debian-packaged XMPP server run from a temp dir as its system user. */
export abstract class PackagedServer {
  protected dir: string | undefined;
  protected readonly proc: UserProcess;

  constructor(
    private readonly systemUser: string,
    private readonly debPackage: string,
  ) {
    this.proc = new UserProcess(systemUser, debPackage);
  }

  /** Creates the temp dir (owned by the system user) with the given subdirectories. */
  protected makeDir(subdirs: readonly string[]): string {
    const dir = userTempDir(`rchat-bench-${this.debPackage}-`, this.systemUser);
    this.dir = dir;
    for (const sub of subdirs) mkdirOwned(join(dir, sub), dir);
    return dir;
  }

  pids(): number[] {
    return this.proc.pids();
  }

  version(): Promise<string> {
    return debVersion(this.debPackage);
  }

  /** Stops the server, removes the temp dir and prints `errors` (read before stopping) if any. */
  protected async shutdown(errors: string): Promise<void> {
    await this.proc.stop();
    removeDir(this.dir);
    this.dir = undefined;
    if (errors.trim() !== '')
      process.stderr.write(`${this.debPackage} log errors:\n${errors.slice(-2000)}\n`);
  }
}
