import type { ClientStorage } from './storage.ts';

const STORE = 'kv';
const KEY_STORE = 'keys';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Browser storage in IndexedDB. Values are sealed by the client under an
 * AES-256-GCM key that WebCrypto generates as non-extractable: script can use
 * it but never read it, and it is stored (as a CryptoKey) in the same database.
 */
export async function openIndexedDbStorage(name = 'rchat'): Promise<ClientStorage> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(STORE);
    open.result.createObjectStore(KEY_STORE);
  };
  const db = await request(open);
  const tx = (store: string, mode: IDBTransactionMode) => db.transaction(store, mode).objectStore(store);

  let key = (await request(tx(KEY_STORE, 'readonly').get('storage'))) as CryptoKey | undefined;
  if (!key) {
    key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await request(tx(KEY_STORE, 'readwrite').put(key, 'storage'));
  }
  const storageKey = key;
  return {
    get: async (k) => {
      const v = (await request(tx(STORE, 'readonly').get(k))) as Uint8Array | undefined;
      return v ? new Uint8Array(v) : undefined;
    },
    put: async (k, v) => {
      await request(tx(STORE, 'readwrite').put(v, k));
    },
    delete: async (k) => {
      await request(tx(STORE, 'readwrite').delete(k));
    },
    list: async (prefix) => {
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      return ((await request(tx(STORE, 'readonly').getAllKeys(range))) as string[]).sort();
    },
    storageKey: async () => storageKey,
  };
}
