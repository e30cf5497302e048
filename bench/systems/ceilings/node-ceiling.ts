import { ErrorLog, NodeServer } from '../../lib/node-server.ts';
import type { ConnectOptions, Endpoint, SystemDriver, SystemInfo } from '../types.ts';

/** Base of the ceilings that run a small Node.js server script: no accounts, one process. */
export abstract class NodeCeilingDriver implements SystemDriver {
  abstract readonly info: SystemInfo;
  readonly supports = { fanout: true, idle: true };
  protected readonly errors = new ErrorLog();
  protected readonly server: NodeServer;

  constructor(scriptUrl: URL) {
    this.server = new NodeServer(scriptUrl);
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  users(prefix: string, count: number): Promise<string[]> {
    return Promise.resolve(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
  }

  abstract connect(user: string, options: ConnectOptions): Promise<Endpoint>;

  serverPids(): number[] {
    return this.server.pids();
  }

  takeErrors(): string[] {
    return this.errors.take();
  }
}
