import { generateStorageKey } from '@rchat/crypto';
import type { ClientStorage } from './storage.ts';

/** Keeps everything in memory (tests, bots that need no persistence). */
export function createMemoryStorage(): ClientStorage {
  const map = new Map<string, Uint8Array>();
  const key = generateStorageKey();
  return {
    get: async (k) => map.get(k),
    put: async (k, v) => {
      map.set(k, v);
    },
    delete: async (k) => {
      map.delete(k);
    },
    list: async (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort(),
    storageKey: async () => key,
  };
}
