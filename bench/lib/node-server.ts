import { fileURLToPath } from 'node:url';
import { spawnServer, stopGroup, type Managed } from './proc.ts';
import { withTimeout } from './clock.ts';

/** A small Node.js server script (a ceiling) run in its own process. */
export class NodeServer {
  private managed: Managed | undefined;
  port = 0;

  constructor(private readonly scriptUrl: URL) {}

  async start(): Promise<void> {
    const managed = spawnServer(process.execPath, [fileURLToPath(this.scriptUrl), '0']);
    this.managed = managed;
    const ready = new Promise<number>((resolve, reject) => {
      let out = '';
      managed.child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /ready (\d+)/.exec(out);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
      managed.child.once('exit', (code) =>
        reject(new Error(`${this.scriptUrl.pathname} exited ${code}: ${managed.tail()}`)),
      );
    });
    this.port = await withTimeout(ready, 15_000, `start ${this.scriptUrl.pathname}`);
  }

  pids(): number[] {
    const pid = this.managed?.child.pid;
    return pid === undefined ? [] : [pid];
  }

  async stop(): Promise<void> {
    if (this.managed !== undefined) await stopGroup(this.managed.child);
    this.managed = undefined;
  }
}

/** Collects client-side errors for `SystemDriver.takeErrors`, bounded. */
export class ErrorLog {
  private errors: string[] = [];
  private dropped = 0;

  add(error: unknown): void {
    const text = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    if (this.errors.length < 50) this.errors.push(text);
    else this.dropped += 1;
  }

  take(): string[] {
    const out = this.dropped > 0 ? [...this.errors, `(+${this.dropped} more)`] : this.errors;
    this.errors = [];
    this.dropped = 0;
    return out;
  }
}
