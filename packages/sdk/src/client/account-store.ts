import {
  decodeDeviceKeys,
  decodeIdentityKeyPair,
  decodeKeyPackageBundle,
  encodeDeviceKeys,
  encodeIdentityKeyPair,
  encodeKeyPackageBundle,
  type DeviceKeys,
  type IdentityKeyPair,
  type KeyPackageBundle,
  fromBase64,
  toBase64,
} from '@rchat/crypto';
import type { SessionResponse } from '@rchat/protocol';
import { SealedStore, type ClientStorage } from '../storage/storage.ts';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * What lets a device write the message backup and re-seal secret storage (e.g. to add a
 * passphrase).
 */
export interface RecoverySecrets {
  backupSeed: Uint8Array;
  masterKey: Uint8Array;
}

export interface AccountRef {
  userId: string;
  username: string;
  deviceId: string;
}

/**
 * One account's secrets on this device, sealed in the client storage:
 * session tokens, identity key, device keys and the private halves of the
 * KeyPackages it published. Keys are namespaced by user id.
 */
export class AccountStore {
  readonly sealed: SealedStore;

  constructor(
    readonly storage: ClientStorage,
    readonly userId: string,
  ) {
    this.sealed = new SealedStore(storage, `acct/${userId}/`);
  }

  /** Which account this storage signed in last, and which device it is for each username. */
  static async current(storage: ClientStorage): Promise<AccountRef | undefined> {
    return new SealedStore(storage, 'global/').getJson<AccountRef>('current');
  }

  static async byUsername(
    storage: ClientStorage,
    username: string,
  ): Promise<AccountRef | undefined> {
    return new SealedStore(storage, 'global/').getJson<AccountRef>(`account/${username}`);
  }

  static async remember(storage: ClientStorage, ref: AccountRef): Promise<void> {
    const global = new SealedStore(storage, 'global/');
    await global.putJson(`account/${ref.username}`, ref);
    await global.putJson('current', ref);
  }

  static async forget(storage: ClientStorage): Promise<void> {
    await new SealedStore(storage, 'global/').delete('current');
  }

  /**
   * Erases everything this storage holds of the account (after it was deleted): keys, groups,
   * messages, cursor, and the global references to it.
   */
  static async erase(
    storage: ClientStorage,
    ref: { userId: string; username: string },
  ): Promise<void> {
    for (const key of await storage.list(`acct/${ref.userId}/`)) await storage.delete(key);
    const global = new SealedStore(storage, 'global/');
    await global.delete(`account/${ref.username}`);
    if ((await AccountStore.current(storage))?.userId === ref.userId)
      await global.delete('current');
  }

  session = () => this.sealed.getJson<SessionResponse>('session');
  /**
   * Writes of the session in the order the tokens came (a later refresh never lands under an
   * earlier one).
   */
  private sessionWrites: Promise<void> = Promise.resolve();
  saveSession = (s: SessionResponse | null): Promise<void> => {
    const write = this.sessionWrites.then(() =>
      s ? this.sealed.putJson('session', s) : this.sealed.delete('session'),
    );
    this.sessionWrites = write.catch(() => undefined);
    return write;
  };
  /**
   * Resolves once every session write started so far is stored (before another client opens this
   * storage).
   */
  sessionSaved = (): Promise<void> => this.sessionWrites;

  async identity(): Promise<IdentityKeyPair | undefined> {
    const bytes = await this.sealed.getBytes('identity');
    if (!bytes) return undefined;
    const decoded = decodeIdentityKeyPair(bytes);
    if (decoded.kind !== 'ok') throw new Error(`Stored identity key is damaged: ${decoded.reason}`);
    return decoded.identity;
  }
  saveIdentity = (identity: IdentityKeyPair) =>
    this.sealed.putBytes('identity', encodeIdentityKeyPair(identity));

  async device(): Promise<DeviceKeys | undefined> {
    const bytes = await this.sealed.getBytes('device');
    if (!bytes) return undefined;
    const decoded = decodeDeviceKeys(bytes);
    if (decoded.kind !== 'ok')
      throw new Error(`Stored device keys are damaged: ${decoded.message}`);
    return decoded.device;
  }
  saveDevice = (device: DeviceKeys) => this.sealed.putBytes('device', encodeDeviceKeys(device));

  async keyPackages(): Promise<KeyPackageBundle[]> {
    const out: KeyPackageBundle[] = [];
    for (const key of await this.sealed.list('kp/')) {
      const bytes = await this.sealed.getBytes(key);
      if (!bytes) continue;
      const decoded = await decodeKeyPackageBundle(bytes);
      if (decoded.kind === 'ok') out.push(decoded.bundle);
    }
    return out;
  }
  saveKeyPackage = (bundle: KeyPackageBundle) =>
    this.sealed.putBytes(`kp/${hex(bundle.ref)}`, encodeKeyPackageBundle(bundle));
  deleteKeyPackage = (bundle: KeyPackageBundle) => this.sealed.delete(`kp/${hex(bundle.ref)}`);

  async cursor(): Promise<number | undefined> {
    return (await this.sealed.getJson<{ seq: number }>('cursor'))?.seq;
  }
  /** Moves the cursor forward only (the stream and a catch-up may both report progress). */
  async saveCursor(seq: number): Promise<void> {
    const current = await this.cursor();
    if (current === undefined || seq > current) await this.sealed.putJson('cursor', { seq });
  }

  /**
   * The backup seed and secret-storage master key (base64 in the sealed store), from registration,
   * linking or restore.
   */
  async recoverySecrets(): Promise<RecoverySecrets | undefined> {
    const stored = await this.sealed.getJson<{ backupSeed: string; masterKey: string }>('recovery');
    const backupSeed = stored && fromBase64(stored.backupSeed);
    const masterKey = stored && fromBase64(stored.masterKey);
    return backupSeed && masterKey ? { backupSeed, masterKey } : undefined;
  }
  saveRecoverySecrets = (s: RecoverySecrets) =>
    this.sealed.putJson('recovery', {
      backupSeed: toBase64(s.backupSeed),
      masterKey: toBase64(s.masterKey),
    });
}
