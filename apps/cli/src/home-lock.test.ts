import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const racer = fileURLToPath(new URL('../test/lock-racer.ts', import.meta.url));
const homes: string[] = [];

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'rchat-lock-'));
  homes.push(home);
  return home;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (!pid) throw new Error('could not start a process');
  return pid;
}

const until = async (done: () => boolean) => {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * Starts `count` processes that all try to lock `home` at the same moment; answers what each said.
 */
async function race(home: string, count: number): Promise<string[]> {
  const signals = newHome();
  const go = join(signals, 'go');
  const done = join(signals, 'done');
  const outputs = Array.from({ length: count }, () => '');
  const exits = Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', racer, home, go, done], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (b: Buffer) => (outputs[i] += b.toString()));
    return new Promise((resolve) => child.on('close', resolve));
  });
  await until(() => readdirSync(signals).filter((f) => f.startsWith('go.ready.')).length === count);
  writeFileSync(go, '');
  await until(() => outputs.every((o) => o.endsWith('\n')));
  writeFileSync(done, '');
  await Promise.all(exits);
  return outputs.map((o) => o.trim());
}

afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('home lock', () => {
  it('lets exactly one of several processes racing for a stale lock take it over', async () => {
    for (let round = 0; round < 3; round++) {
      const home = newHome();
      writeFileSync(join(home, 'lock.1'), String(deadPid()));
      const outcomes = await race(home, 6);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'held')).toHaveLength(5);
    }
  });

  it('lets exactly one take a home with a stale lock of an earlier version, or none at all', async () => {
    const stale = newHome();
    writeFileSync(join(stale, 'lock'), String(deadPid()));
    const fresh = newHome();
    for (const home of [stale, fresh]) {
      const outcomes = await race(home, 4);
      expect(outcomes.sort()).toEqual(['held', 'held', 'held', 'won']);
    }
  });

  it('marks the lock released when its process exits, and the next process takes it', async () => {
    const home = newHome();
    expect(await race(home, 1)).toEqual(['won']);
    const [file] = readdirSync(home).filter((f) => f.startsWith('lock.'));
    expect(file).toBe('lock.1');
    expect(readFileSync(join(home, 'lock.1'), 'utf8')).toBe('released');
    expect(await race(home, 1)).toEqual(['won']);
    expect(readdirSync(home).filter((f) => f.startsWith('lock'))).toEqual(['lock.2']);
    expect(existsSync(join(home, 'lock'))).toBe(false);
  });
});
