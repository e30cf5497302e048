import { fromBase64, toBase64, type TrustSource } from '@rchat/crypto';
import type { UserKeys } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import type { SealedStore } from '../storage/storage.ts';

/** A key the directory shows for a user that this device has not accepted. */
export interface PendingIdentity {
  identityKey: string;
  /**
   * When the user reset their identity, as the server reports it (null when the key changed without
   * a reset).
   */
  resetAt: string | null;
}

interface Pin {
  /**
   * The identity key this device trusts for the user: the only one the Authentication Service
   * accepts.
   */
  identityKey: string;
  verified: boolean;
  /**
   * Set while the directory shows another key: nothing under it is trusted until the person accepts
   * it.
   */
  pending?: PendingIdentity;
}

const DIRECTORY_TTL_MS = 30_000;

/**
 * What this device trusts, over the server's key directory:
 * - its own account: only the identity key this device holds. A directory
 *   that shows another key means someone reset the account's identity; that
 *   is reported (`onOwnMismatch`) and never followed.
 * - peers: the first identity key seen is pinned (trust on first use; the
 *   safety number defeats a server that lies from the start). A different key
 *   later is NOT trusted: it is held as pending, the conversation is blocked
 *   until the person accepts it, and meanwhile no device certified by it is
 *   added and no credential under it passes the Authentication Service.
 * A device missing from the directory is treated as revoked.
 */
export class DirectoryTrust implements TrustSource {
  private readonly cache = new Map<string, { at: number; keys: UserKeys }>();
  private readonly ownKey: string;
  private reportedOwnMismatch: string | null = null;
  onIdentityChange: (userId: string, pending: PendingIdentity) => void = () => {};
  onOwnMismatch: (directoryKey: string) => void = () => {};

  constructor(
    private readonly api: RchatApi,
    private readonly store: SealedStore,
    private readonly self: { userId: string; identityKey: Uint8Array },
  ) {
    this.ownKey = toBase64(self.identityKey);
  }

  async directory(userId: string, fresh = false): Promise<UserKeys> {
    const hit = this.cache.get(userId);
    if (!fresh && hit && Date.now() - hit.at < DIRECTORY_TTL_MS) return hit.keys;
    const keys = await this.api.userKeys(userId);
    this.cache.set(userId, { at: Date.now(), keys });
    await this.observe(userId, keys);
    return keys;
  }

  async identityKeyOf(userId: string): Promise<Uint8Array | undefined> {
    if (userId === this.self.userId) return this.self.identityKey;
    await this.directory(userId);
    const pin = await this.pinned(userId);
    return pin ? fromBase64(pin.identityKey) : undefined;
  }

  async isDeviceRevoked(userId: string, deviceId: string): Promise<boolean> {
    let keys = await this.directory(userId);
    if (keys.devices.some((d) => d.deviceId === deviceId)) return false;
    keys = await this.directory(userId, true);
    return !keys.devices.some((d) => d.deviceId === deviceId);
  }

  pinned = (userId: string) => this.store.getJson<Pin>(`pin/${userId}`);

  /**
   * The unaccepted identity the directory shows for a peer, or null when it shows the pinned one.
   */
  async pendingOf(userId: string): Promise<PendingIdentity | null> {
    if (userId === this.self.userId) return null;
    return (await this.pinned(userId))?.pending ?? null;
  }

  /** The person accepted the peer's new identity: it becomes the pinned key (not yet verified). */
  async accept(userId: string): Promise<void> {
    const pin = await this.pinned(userId);
    if (pin?.pending)
      await this.store.putJson(`pin/${userId}`, {
        identityKey: pin.pending.identityKey,
        verified: false,
      } satisfies Pin);
  }

  /**
   * The person compared the safety number of the key the directory shows now: trust it, verified.
   */
  async markVerified(userId: string): Promise<void> {
    const pin = await this.pinned(userId);
    if (pin)
      await this.store.putJson(`pin/${userId}`, {
        identityKey: pin.pending?.identityKey ?? pin.identityKey,
        verified: true,
      } satisfies Pin);
  }

  private async observe(userId: string, keys: UserKeys): Promise<void> {
    const identityKey = keys.identityKey;
    if (!identityKey) return;
    if (userId === this.self.userId) {
      if (identityKey !== this.ownKey && this.reportedOwnMismatch !== identityKey) {
        this.reportedOwnMismatch = identityKey;
        this.onOwnMismatch(identityKey);
      }
      return;
    }
    const pin = await this.pinned(userId);
    if (!pin) {
      await this.store.putJson(`pin/${userId}`, { identityKey, verified: false } satisfies Pin);
    } else if (pin.identityKey === identityKey) {
      // The directory shows the trusted key again: nothing is pending.
      if (pin.pending)
        await this.store.putJson(`pin/${userId}`, {
          identityKey: pin.identityKey,
          verified: pin.verified,
        } satisfies Pin);
    } else if (pin.pending?.identityKey !== identityKey) {
      const pending = { identityKey, resetAt: keys.identityResetAt ?? null };
      await this.store.putJson(`pin/${userId}`, { ...pin, pending } satisfies Pin);
      this.onIdentityChange(userId, pending);
    }
  }
}
