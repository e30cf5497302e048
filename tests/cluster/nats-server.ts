import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { freePort } from '../support/server-process.ts';

export interface NatsServerOptions {
  /** A config file (e.g. deploy/nats.conf); none: an open server. */
  config?: string;
  /** Environment the config resolves `$NAME` from. */
  env?: Record<string, string>;
  /** Run with JetStream, storing under this folder (as deploy/compose.yaml runs it). */
  jetStreamDir?: string;
}

/**
 * A private nats-server (the Debian package's binary) on a free loopback port,
 * for tests that sign in to it or stop and start it: the machine's own NATS is
 * shared and never touched. It keeps its port across `stop()` and `start()`.
 */
export class NatsServer {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly options: NatsServerOptions,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port; resolves once it accepts connections. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), options);
    await server.start();
    return server;
  }

  /** Starts it (again, on the same port). */
  async start(): Promise<void> {
    if (this.child) throw new Error('nats-server is already running.');
    const { config, env, jetStreamDir } = this.options;
    const args = [
      ...(config ? ['-c', config] : []),
      '-a',
      '127.0.0.1',
      '-p',
      String(this.port),
      ...(jetStreamDir ? ['-js', '-sd', jetStreamDir] : []),
    ];
    this.output = '';
    const child = spawn('nats-server', args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    // A test runner that exits leaves no server behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => {
      process.off('exit', killOnExit);
      if (this.child === child) this.child = null;
    });
    const spawned = new Promise<never>((_, reject) =>
      child.once('error', (e) =>
        reject(
          new Error(`nats-server could not start (install the nats-server package): ${e.message}`),
        ),
      ),
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nats-server exited: ${this.output}`);
      if (await Promise.race([spawned, listening(this.port)])) return;
      if (Date.now() > deadline)
        throw new Error(`nats-server did not listen on ${this.port}: ${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops it (SIGTERM: connections close; SIGKILL: a crash) and resolves once it has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
