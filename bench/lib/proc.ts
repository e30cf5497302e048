import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { now, sleep } from './clock.ts';

/** Resident set size of a process in KiB (0 when it is gone). */
export function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match?.[1] !== undefined ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function totalRssKiB(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + rssKiB(pid), 0);
}

/**
 * CPU time (user + system, all threads) the processes used so far, in ms (10 ms
 * resolution; 0 for a process that is gone); with `reapedChildren`, also that of
 * their children that already exited.
 */
export function cpuMs(pids: readonly number[], options: { reapedChildren?: boolean } = {}): number {
  const columns = options.reapedChildren ? [11, 12, 13, 14] : [11, 12];
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      for (const i of columns) ticks += Number(fields[i] ?? 0);
    } catch {
      // gone
    }
  }
  return ticks * 10;
}

/** PIDs whose command name (comm) is exactly `name`. */
export function pidsByComm(name: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) out.push(Number(entry));
    } catch {
      // process ended while scanning
    }
  }
  return out;
}

/** All descendants of `pid` (children, grandchildren, ...), read from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop() as number;
    for (const child of children.get(next) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Managed {
  child: ChildProcess;
  /** Last lines of stdout+stderr, for error messages. */
  tail(): string;
}

/** Process groups of servers still running; killed when the harness exits, however it exits. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Spawns a server in its own process group, keeping the tail of its output. */
export function spawnServer(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Managed {
  const child = spawn(command, args, {
    env,
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  if (pgid !== undefined) {
    liveGroups.add(pgid);
    child.once('exit', () => liveGroups.delete(pgid));
  }
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`spawn error: ${err.message}\n`)));
  return { child, tail: () => tail };
}

/** SIGTERM to the whole process group, then SIGKILL after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const members = [pid, ...descendants(pid)];
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // group already gone
    }
    for (const member of members) {
      try {
        process.kill(member, sig);
      } catch {
        // gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = now() + graceMs;
  while (members.some(isAlive) && now() < deadline) await sleep(50);
  if (members.some(isAlive)) signal('SIGKILL');
  while (members.some(isAlive) && now() < deadline + 2000) await sleep(50);
}

/** Resolves once a TCP connect to host:port succeeds, rejects after `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  host = '127.0.0.1',
  alive?: () => boolean,
): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (alive !== undefined && !alive())
      throw new Error(`process exited before listening on ${host}:${port}`);
    if (now() > deadline)
      throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Runs a command to completion, returning stdout; rejects with its output on failure. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited ${code}: ${(err || out).slice(-2000)}`),
        );
    });
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/**
 * PID of the process listening on TCP `port` (IPv4 or IPv6), from /proc; undefined when not found.
 */
export function pidListeningOn(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`) && cols[9] !== undefined)
        inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (match?.[1] !== undefined && inodes.has(match[1])) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}
