import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function openFileLimit(): { soft: number; hard: number } {
  const text = readFileSync('/proc/self/limits', 'utf8');
  const match = /Max open files\s+(\S+)\s+(\S+)/.exec(text);
  const parse = (v: string | undefined): number =>
    v === undefined || v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v);
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

/**
 * Makes sure this process may open `needed` files: when the soft limit is
 * lower (and the hard limit allows), re-runs the same command under
 * `ulimit -n` and exits with its status. Returns false when it re-ran.
 */
export async function ensureOpenFiles(needed: number): Promise<boolean> {
  const { soft, hard } = openFileLimit();
  if (soft >= needed || process.env.BENCH_REEXEC === '1') return true;
  const target = Math.min(hard, Math.max(needed, 20000));
  if (target <= soft) return true;
  const args = [
    '-c',
    `ulimit -n ${target} && exec "$@"`,
    'sh',
    process.execPath,
    ...process.execArgv,
    ...process.argv.slice(1),
  ];
  const child = spawn('sh', args, { stdio: 'inherit', env: { ...process.env, BENCH_REEXEC: '1' } });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c, s) => resolve(c ?? (s !== null ? 128 : 1))),
  );
  process.exitCode = code;
  return false;
}
