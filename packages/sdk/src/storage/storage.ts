import { openAtRest, sealAtRest, type StorageKey } from '@rchat/crypto';

/**
 * Where a client keeps its keys, group states, decrypted messages and cursor.
 * Values are opaque bytes; the client seals everything secret with
 * `storageKey()` before it writes (AES-256-GCM), so an adapter only stores.
 */
export interface ClientStorage {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, in ascending order. */
  list(prefix: string): Promise<string[]>;
  /** The key that seals values at rest (raw 32 bytes, or a non-extractable WebCrypto key). */
  storageKey(): Promise<StorageKey>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Seals and opens values of one storage under its key; the storage key name is bound as the
 * purpose.
 */
export class SealedStore {
  constructor(
    private readonly storage: ClientStorage,
    private readonly prefix: string,
  ) {}

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    const sealed = await this.storage.get(this.prefix + key);
    if (!sealed) return undefined;
    const opened = await openAtRest(await this.storage.storageKey(), sealed, this.prefix + key);
    if (opened.kind !== 'ok')
      throw new Error(`Stored value ${key} fails its integrity check: ${opened.message}`);
    return opened.plaintext;
  }

  async putBytes(key: string, value: Uint8Array): Promise<void> {
    await this.storage.put(
      this.prefix + key,
      await sealAtRest(await this.storage.storageKey(), value, this.prefix + key),
    );
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.getBytes(key);
    return bytes ? (JSON.parse(decoder.decode(bytes)) as T) : undefined;
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.putBytes(key, encoder.encode(JSON.stringify(value)));
  }

  delete(key: string): Promise<void> {
    return this.storage.delete(this.prefix + key);
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.storage.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }
}
