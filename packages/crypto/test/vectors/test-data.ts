// Locates the shared known-answer data: $RCHAT_TEST_DATA, else <repo root>/../shared/data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export const testDataRoot = process.env.RCHAT_TEST_DATA ?? resolve(repoRoot, '../shared/data');

export function dataFolder(name: string): { path: string; exists: boolean; skipNote: string } {
  const path = join(testDataRoot, name);
  const exists = existsSync(path);
  return {
    path,
    exists,
    skipNote: exists
      ? ''
      : ` (skipped: ${path} not found; set RCHAT_TEST_DATA to the shared data folder)`,
  };
}

export function readJson<T>(folder: string, file: string): T {
  return JSON.parse(readFileSync(join(folder, file), 'utf8')) as T;
}

export function hex(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw new Error(`odd hex length: ${text}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHexString(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Keeps the run short on slow pure-JS curves: every vector of the `full` suites,
 * and the first `perSuite` vectors of every other suite, so each suite still runs.
 */
export function sampleBySuite<T extends { cipher_suite: number }>(
  vectors: readonly T[],
  full: readonly number[],
  perSuite = 2,
): T[] {
  const bySuite = new Map<number, T[]>();
  for (const v of vectors) bySuite.set(v.cipher_suite, [...(bySuite.get(v.cipher_suite) ?? []), v]);
  const out: T[] = [];
  for (const [suite, list] of bySuite)
    out.push(...(full.includes(suite) ? list : list.slice(0, perSuite)));
  return out;
}
