import { fromBase64, type TrustSource } from '@rchat/crypto';
import type { UserKeys } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import type { SealedStore } from '../storage/storage.ts';

interface Pin {
  identityKey: string;
  /** Set when the directory later showed another key. */
  changed: boolean;
  verified: boolean;
}

const DIRECTORY_TTL_MS = 30_000;

/**
 * Trust on first use, over the server's key directory: the first identity key
 * seen for a user is pinned; a different key later is accepted for MLS (the
 * user's new devices must keep working) but flagged as changed, so the UI
 * warns loudly and the safety number must be compared again. A device missing
 * from the directory is treated as revoked.
 */
export class DirectoryTrust implements TrustSource {
  private readonly cache = new Map<string, { at: number; keys: UserKeys }>();
  onIdentityChange: (userId: string) => void = () => {};

  constructor(
    private readonly api: RchatApi,
    private readonly store: SealedStore,
  ) {}

  async directory(userId: string, fresh = false): Promise<UserKeys> {
    const hit = this.cache.get(userId);
    if (!fresh && hit && Date.now() - hit.at < DIRECTORY_TTL_MS) return hit.keys;
    const keys = await this.api.userKeys(userId);
    this.cache.set(userId, { at: Date.now(), keys });
    await this.pin(userId, keys.identityKey);
    return keys;
  }

  async identityKeyOf(userId: string): Promise<Uint8Array | undefined> {
    const keys = await this.directory(userId);
    return keys.identityKey ? fromBase64(keys.identityKey) : undefined;
  }

  async isDeviceRevoked(userId: string, deviceId: string): Promise<boolean> {
    let keys = await this.directory(userId);
    if (keys.devices.some((d) => d.deviceId === deviceId)) return false;
    keys = await this.directory(userId, true);
    return !keys.devices.some((d) => d.deviceId === deviceId);
  }

  pinned = (userId: string) => this.store.getJson<Pin>(`pin/${userId}`);

  async markVerified(userId: string): Promise<void> {
    const pin = await this.pinned(userId);
    if (pin) await this.store.putJson(`pin/${userId}`, { ...pin, changed: false, verified: true });
  }

  private async pin(userId: string, identityKey: string | null): Promise<void> {
    if (!identityKey) return;
    const pin = await this.pinned(userId);
    if (!pin) {
      await this.store.putJson(`pin/${userId}`, { identityKey, changed: false, verified: false } satisfies Pin);
    } else if (pin.identityKey !== identityKey) {
      await this.store.putJson(`pin/${userId}`, { identityKey, changed: true, verified: false } satisfies Pin);
      this.onIdentityChange(userId);
    }
  }
}
