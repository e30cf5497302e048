import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/server-process.ts';

const run = promisify(execFile);

/**
 * A private PostgreSQL cluster (initdb into a folder, served on a free
 * loopback port) for tests that stop and start the database: the machine's
 * own PostgreSQL is shared and never touched. As root (CI), the server runs as
 * the `postgres` user, since PostgreSQL refuses to run as root.
 */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly asUser: string | null,
  ) {}

  /** `postgres://…` URL of its `postgres` database. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * Initialises a cluster in a new folder under the system's temp folder (which the `postgres` user
   * can enter) and starts it.
   */
  static async create(): Promise<PrivatePostgres> {
    const asUser = process.getuid?.() === 0 ? 'postgres' : null;
    const dir = mkdtempSync(join(tmpdir(), 'rchat-postgres-'));
    if (asUser) {
      const ids = async (flag: string) => Number((await run('id', [flag, asUser])).stdout.trim());
      chownSync(dir, await ids('-u'), await ids('-g'));
    }
    const pg = new PrivatePostgres(dir, await freePort(), postgresBinDir(), asUser);
    // The data folder is a subfolder, so the owner can create it with the mode initdb wants.
    await pg.exec('initdb', ['-D', pg.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await pg.start();
    // A test runner that dies leaves no server behind (an immediate stop, as SIGQUIT to the
    // postmaster is).
    process.once('exit', () => pg.kill());
    return pg;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    // fsync off: the test stops it cleanly (a fast shutdown writes a checkpoint), and the machine
    // is shared.
    const options = `-p ${this.port} -h 127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=200`;
    await this.exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /**
   * Stops the server: `fast` ends every session (what a restart does to clients), `immediate` is a
   * crash.
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** Stops the server (if it runs) and deletes its folder. */
  async remove(): Promise<void> {
    await this.stop().catch(() => this.kill());
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops the server at once without waiting (for exit hooks). */
  kill(): void {
    try {
      const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running.
    }
  }

  private async exec(program: string, args: string[]): Promise<void> {
    const file = join(this.bin, program);
    const [command, argv] = this.asUser
      ? ['runuser', ['-u', this.asUser, '--', file, ...args]]
      : [file, args];
    try {
      await run(command, argv, { cwd: this.dir });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${program} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
        cause: err,
      });
    }
  }
}

/** The newest PostgreSQL's bin folder under /usr/lib/postgresql (Debian), or RCHAT_POSTGRES_BIN. */
function postgresBinDir(): string {
  const given = process.env.RCHAT_POSTGRES_BIN;
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error(
      'No PostgreSQL server binaries under /usr/lib/postgresql (Debian: apt-get install postgresql), and RCHAT_POSTGRES_BIN is not set.',
    );
  return join(root, newest, 'bin');
}
