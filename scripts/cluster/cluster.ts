import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderLoopbackNginxConfig } from './nginx-config.ts';
import { createDatabases } from './resources.ts';

export { createDatabases, dropDatabases, freePorts } from './resources.ts';

/**
 * The scaled-out platform on this machine: users ×1, chat ×2 and delivery ×2,
 * each its own Node.js process, behind nginx rendered from deploy/nginx.conf,
 * against the machine's PostgreSQL (one database per service) and NATS. Every
 * process runs in its own process group, so one instance can be killed and
 * started again, and nothing is left behind when the cluster stops.
 */

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const deployDir = join(repoRoot, 'deploy');

export type ServiceName = 'users' | 'chat' | 'delivery';

const entryPoints: Record<ServiceName, string> = {
  users: 'services/users/src/main.ts',
  chat: 'services/chat/src/main.ts',
  delivery: 'services/delivery/src/main.ts',
};

/** Instance ids, as in deploy/compose.yaml. */
export const instanceIds = ['users', 'chat-1', 'chat-2', 'delivery-1', 'delivery-2'] as const;
export type InstanceId = (typeof instanceIds)[number];

export const serviceOf = (id: InstanceId): ServiceName => id.replace(/-\d+$/, '') as ServiceName;

export interface ClusterOptions {
  /** Port of the public front (nginx), on 127.0.0.1. */
  publicPort: number;
  /** Port of nginx's internal server (/internal/ → chat), on 127.0.0.1. */
  internalPort: number;
  /** Port of each service instance, on 127.0.0.1. */
  ports: Record<InstanceId, number>;
  /** PostgreSQL URL of a database to connect to while creating the service databases. */
  postgresUrl: string;
  natsUrl: string;
  /** Database names of the users and chat services (created when missing). */
  databases: { users: string; chat: string };
  /** Folder for logs and nginx's config, pid and temp files. */
  runDir: string;
  /** Folder served at `/`. */
  webRoot: string;
  /** Shared secret of chat and delivery; random when omitted. */
  internalToken?: string;
  /** Bearer token of every instance's `/metrics`; random when omitted. */
  metricsToken?: string;
  logLevel?: string;
  /** Extra environment per service (e.g. rate limits for tests). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** How long an instance may take to answer /readyz with 200. */
  readyTimeoutMs?: number;
  nginxBinary?: string;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | string>;
}

/**
 * Every process group started here, so an exiting test runner or script never leaves one behind.
 */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

export class Cluster {
  readonly url: string;
  readonly internalUrl: string;
  readonly internalToken: string;
  readonly metricsToken: string;
  private readonly running = new Map<InstanceId | 'nginx', Running>();

  private constructor(readonly options: ClusterOptions) {
    this.url = `http://127.0.0.1:${options.publicPort}`;
    this.internalUrl = `http://127.0.0.1:${options.internalPort}`;
    this.internalToken = options.internalToken ?? randomBytes(32).toString('hex');
    this.metricsToken = options.metricsToken ?? randomBytes(32).toString('hex');
  }

  /**
   * Creates the databases if needed, starts every instance and nginx, and resolves when all are
   * ready.
   */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options);
    await createDatabases(options.postgresUrl, [options.databases.users, options.databases.chat]);
    await cluster.startAll();
    return cluster;
  }

  /** Base URL of one instance (direct, not through nginx). */
  instanceUrl(id: InstanceId): string {
    return `http://127.0.0.1:${this.options.ports[id]}`;
  }

  /** One instance's Prometheus text, read with the cluster's metrics token. */
  async metrics(id: InstanceId): Promise<string> {
    const res = await fetch(`${this.instanceUrl(id)}/metrics`, {
      headers: { authorization: `Bearer ${this.metricsToken}` },
    });
    if (res.status !== 200) throw new Error(`${id} answered ${res.status} for /metrics`);
    return res.text();
  }

  isRunning(id: InstanceId | 'nginx'): boolean {
    return this.running.has(id);
  }

  logFile(id: InstanceId | 'nginx'): string {
    return join(this.options.runDir, 'logs', `${id}.log`);
  }

  /** The last lines of an instance's log (for failure reports). */
  logTail(id: InstanceId | 'nginx', lines = 40): string {
    try {
      return readFileSync(this.logFile(id), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Starts one instance (again) on its port and resolves when it is ready. */
  async startInstance(id: InstanceId): Promise<void> {
    if (this.running.has(id)) throw new Error(`${id} is already running.`);
    const service = serviceOf(id);
    // Bundled, as `npm start` runs the server: it starts much sooner than through tsx
    // (docs/operations.md).
    const run = this.spawnLogged(
      id,
      process.execPath,
      [join(repoRoot, 'scripts/run-bundled.mjs'), entryPoints[service]],
      this.envFor(id),
    );
    await this.waitUntil(
      id,
      run,
      async () => (await fetchStatus(`${this.instanceUrl(id)}/readyz`)) === 200,
    );
  }

  /**
   * Stops one instance: SIGKILL (a crash) or SIGTERM (a graceful stop, then SIGKILL after the grace
   * period).
   */
  async stopInstance(
    id: InstanceId | 'nginx',
    signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM',
    graceMs = 10_000,
  ): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    const pid = run.child.pid as number;
    killGroup(pid, signal);
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), signal === 'SIGKILL' ? 0 : graceMs);
    await run.exited;
    clearTimeout(timer);
    // Whatever the leader left in its group goes with it.
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
    this.running.delete(id);
  }

  /** Stops everything: nginx first, then delivery, chat and users, each gracefully. */
  async stop(): Promise<void> {
    await this.stopInstance('nginx');
    await Promise.all((['delivery-1', 'delivery-2'] as const).map((id) => this.stopInstance(id)));
    await Promise.all((['chat-1', 'chat-2'] as const).map((id) => this.stopInstance(id)));
    await this.stopInstance('users');
  }

  /** Stops and starts the whole cluster on the same ports and databases. */
  async restart(): Promise<void> {
    await this.stop();
    await this.startAll();
  }

  private async startAll(): Promise<void> {
    try {
      await this.startNginx();
      await Promise.all(instanceIds.map((id) => this.startInstance(id)));
      // The front answers once nginx routes to a ready users instance.
      const front = this.running.get('nginx') as Running;
      await this.waitUntil(
        'nginx',
        front,
        async () => (await fetchStatus(`${this.url}/.well-known/rchat`)) === 200,
      );
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async startNginx(): Promise<void> {
    const { runDir } = this.options;
    const nginxDir = join(runDir, 'nginx');
    mkdirSync(join(nginxDir, 'tmp'), { recursive: true });
    // nginx's workers may run as an unprivileged user: they must be able to enter these folders.
    for (const dir of [runDir, nginxDir, join(nginxDir, 'tmp')]) chmodSync(dir, 0o755);
    const ports = this.options.ports;
    const conf = renderLoopbackNginxConfig(readFileSync(join(deployDir, 'nginx.conf'), 'utf8'), {
      upstreams: {
        users: [`127.0.0.1:${ports.users}`],
        chat: [`127.0.0.1:${ports['chat-1']}`, `127.0.0.1:${ports['chat-2']}`],
        delivery: [`127.0.0.1:${ports['delivery-1']}`, `127.0.0.1:${ports['delivery-2']}`],
      },
      listen: {
        '80': `127.0.0.1:${this.options.publicPort}`,
        '127.0.0.1:8089': `127.0.0.1:${this.options.internalPort}`,
      },
      webRoot: this.options.webRoot,
      runDir: nginxDir,
      includeDir: deployDir,
      workerProcesses: 1,
    });
    const confFile = join(nginxDir, 'nginx.conf');
    writeFileSync(confFile, conf);
    const bin = this.options.nginxBinary ?? 'nginx';
    const run = this.spawnLogged(
      'nginx',
      bin,
      ['-p', nginxDir, '-c', confFile, '-e', 'stderr', '-g', 'daemon off;'],
      { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    );
    // The internal server answers 404 to anything but /internal/: it is up when it answers.
    await this.waitUntil(
      'nginx',
      run,
      async () => (await fetchStatus(`${this.internalUrl}/`)) === 404,
    );
  }

  private envFor(id: InstanceId): Record<string, string> {
    const o = this.options;
    const database = (name: string) => {
      const url = new URL(o.postgresUrl);
      url.pathname = `/${name}`;
      return url.toString();
    };
    const common = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? o.runDir,
      HOST: '127.0.0.1',
      PORT: String(o.ports[id]),
      LOG_LEVEL: o.logLevel ?? 'info',
      NATS_URL: o.natsUrl,
      METRICS_TOKEN: this.metricsToken,
      SHUTDOWN_GRACE_MS: '5000',
    };
    const usersUrl = this.instanceUrl('users');
    const service = serviceOf(id);
    switch (service) {
      case 'users':
        // chat and delivery read recent revocations and account deletions from it with the internal
        // token.
        return {
          ...common,
          DATABASE_URL: database(o.databases.users),
          INTERNAL_TOKEN: this.internalToken,
          ...o.env?.users,
        };
      case 'chat':
        return {
          ...common,
          DATABASE_URL: database(o.databases.chat),
          USERS_URL: usersUrl,
          INTERNAL_TOKEN: this.internalToken,
          ...o.env?.chat,
        };
      case 'delivery':
        // Inbox reads go through nginx's internal server: spread over both chat instances, and past
        // one that is down.
        return {
          ...common,
          USERS_URL: usersUrl,
          CHAT_URL: this.internalUrl,
          INTERNAL_TOKEN: this.internalToken,
          ...o.env?.delivery,
        };
    }
  }

  private spawnLogged(
    id: InstanceId | 'nginx',
    command: string,
    args: string[],
    env: Record<string, string>,
  ): Running {
    mkdirSync(join(this.options.runDir, 'logs'), { recursive: true });
    const fd = openSync(this.logFile(id), 'a');
    writeFileSync(
      fd,
      `--- ${new Date().toISOString()} start ${id}: ${command} ${args.join(' ')}\n`,
    );
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: repoRoot,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<number | string>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit(signal ?? code ?? 0));
      child.once('error', (err: NodeJS.ErrnoException) =>
        resolveExit(
          err.code === 'ENOENT'
            ? `${command} is not installed (Debian: apt-get install -y nginx)`
            : err.message,
        ),
      );
    });
    if (child.pid !== undefined) liveGroups.add(child.pid);
    const run = { child, exited };
    this.running.set(id, run);
    void exited.then(() => {
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      if (this.running.get(id) === run) this.running.delete(id);
    });
    return run;
  }

  private async waitUntil(
    id: InstanceId | 'nginx',
    run: Running,
    check: () => Promise<boolean>,
  ): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    let exit: number | string | undefined;
    void run.exited.then((e) => (exit = e));
    for (;;) {
      if (exit !== undefined)
        throw new Error(
          `${id} exited (${exit}) before it was ready. Its log ends with:\n${this.logTail(id)}`,
        );
      if (await check()) return;
      if (Date.now() > deadline)
        throw new Error(
          `${id} was not ready within ${timeoutMs} ms. Its log ends with:\n${this.logTail(id)}`,
        );
      await sleep(150);
    }
  }
}

/** Instance ports from a base: users base+1, chat base+2..3, delivery base+4..5. */
export function portsFrom(base: number): Record<InstanceId, number> {
  return {
    users: base + 1,
    'chat-1': base + 2,
    'chat-2': base + 3,
    'delivery-1': base + 4,
    'delivery-2': base + 5,
  };
}

async function fetchStatus(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
