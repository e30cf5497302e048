import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/rchat.mjs', import.meta.url));

export interface Finished {
  code: number | null;
  /** The signal that killed it, if one did. */
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

/** A running `rchat` process whose output is collected as it comes. */
export class RchatProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Finished>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string>, stdin?: string) {
    this.child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (b: Buffer) => (this.stdout += b.toString()));
    this.child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.child.stdin?.end(stdin);
    // 'close', not 'exit': by then everything it printed has been read.
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) =>
        resolve({ code, ...(signal ? { signal } : {}), stdout: this.stdout, stderr: this.stderr }),
      ),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until stdout or stderr matches, or fails with what was printed. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stdout) && !pattern.test(this.stderr)) {
      if (!this.running)
        throw new Error(`rchat exited before printing ${pattern}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(
          `rchat printed nothing matching ${pattern} within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ctrl-C, then its exit (bounded). */
  async interrupt(timeoutMs = 10_000): Promise<Finished> {
    this.child.kill('SIGINT');
    return bounded(this.exited, timeoutMs, 'rchat to exit after Ctrl-C');
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** The `[time] name: text` lines a command printed, without the time. */
export const messageLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^\[[\d:-\s]+\] /.test(l))
    .map((l) => l.replace(/^\[[^\]]+\] /, ''));

/** Runs one `rchat` command to its end (bounded; killed when it takes longer). */
export async function rchat(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  const p = new RchatProcess(args, env, options.stdin);
  try {
    return await bounded(p.exited, options.timeoutMs ?? 30_000, `rchat ${args.join(' ')}`);
  } finally {
    p.kill();
  }
}

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)),
        ms,
      )),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
