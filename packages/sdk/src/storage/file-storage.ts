import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateStorageKey } from '@rchat/crypto';
import type { ClientStorage } from './storage.ts';

/**
 * Node storage: one file per key under `dir` (created 0700), and the sealing
 * key in `dir/storage.key` (0600). Writes go through a temporary file and a
 * rename, so a crash never leaves a half-written value.
 */
export async function openFileStorage(dir: string): Promise<ClientStorage> {
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'storage.key');
  let key: Uint8Array;
  try {
    key = new Uint8Array(await readFile(keyPath));
  } catch {
    key = generateStorageKey();
    await writeFile(keyPath, key, { mode: 0o600, flag: 'wx' }).catch(async () => {
      key = new Uint8Array(await readFile(keyPath));
    });
  }
  const file = (k: string) => join(dataDir, encodeURIComponent(k));
  return {
    async get(k) {
      try {
        return new Uint8Array(await readFile(file(k)));
      } catch {
        return undefined;
      }
    },
    async put(k, v) {
      const tmp = `${file(k)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, v, { mode: 0o600 });
      await rename(tmp, file(k));
    },
    async delete(k) {
      await rm(file(k), { force: true });
    },
    async list(prefix) {
      const names = await readdir(dataDir);
      return names
        .filter((n) => !n.endsWith('.tmp'))
        .map((n) => decodeURIComponent(n))
        .filter((k) => k.startsWith(prefix))
        .sort();
    },
    storageKey: async () => key,
  };
}
