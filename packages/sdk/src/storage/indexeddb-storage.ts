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
  const tx = (store: string, mode: IDBTransactionMode) =>
    db.transaction(store, mode).objectStore(store);
  // A write resolves once its transaction committed, not at the request's success: what the client
  // wrote before showing it (an outbox message) must survive a reload right after.
  const write = (op: (store: IDBObjectStore) => void) =>
    new Promise<void>((resolve, reject) => {
      const t = db.transaction(STORE, 'readwrite');
      t.oncomplete = () => resolve();
      t.onerror = t.onabort = () => reject(t.error ?? new Error('IndexedDB write failed'));
      op(t.objectStore(STORE));
    });

  let key = (await request(tx(KEY_STORE, 'readonly').get('storage'))) as CryptoKey | undefined;
  if (!key) {
    key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    await request(tx(KEY_STORE, 'readwrite').put(key, 'storage'));
  }
  const storageKey = key;
  return {
    get: async (k) => {
      const v = (await request(tx(STORE, 'readonly').get(k))) as Uint8Array | undefined;
      return v ? new Uint8Array(v) : undefined;
    },
    put: (k, v) => write((s) => s.put(v, k)),
    delete: (k) => write((s) => s.delete(k)),
    list: async (prefix) => {
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      return ((await request(tx(STORE, 'readonly').getAllKeys(range))) as string[]).sort();
    },
    storageKey: async () => storageKey,
  };
}
