import { argon2idAsync } from '@noble/hashes/argon2.js';
import { openAtRest, sealAtRest } from '../at-rest/seal.ts';
import {
  decodeIdentityKeyPair,
  encodeIdentityKeyPair,
  type IdentityKeyPair,
} from '../identity/identity-key.ts';
import { randomBytes, utf8 } from '../util/bytes.ts';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import { parseRecoveryKey, recoveryWrappingKey } from './recovery-key.ts';

/** What secret storage keeps for an account: enough to become the account again on a new device. */
export interface AccountSecrets {
  identity: IdentityKeyPair;
  /** 32-byte seed of the message-backup key pair (see backup-key.ts). */
  backupSeed: Uint8Array;
}

/**
 * argon2id cost of a passphrase slot; each slot stores its own, so slots made at an older cost
 * still open.
 */
export interface PassphraseCost {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}
/**
 * RFC 9106's second recommended setting (64 MiB, 3 passes), with one lane:
 * JavaScript runs lanes one after another anyway, and an attacker's cost is the
 * memory times the passes. A passphrase, unlike a login password, can be guessed
 * offline by whoever holds the blob (the server), so it gets the dearer setting.
 * (Slots made before this used OWASP's 19 MiB, 2 passes; they open unchanged.)
 */
export const defaultPassphraseCost: PassphraseCost = {
  memoryKiB: 65_536,
  iterations: 3,
  parallelism: 1,
};
export const minPassphraseLength = 10;

/**
 * Why a passphrase cannot be set, or undefined when it can: at least
 * `minPassphraseLength` characters (code points of its NFKC form, the text that is
 * stretched), not all spaces. Clients check it before asking for anything.
 */
export function passphraseProblem(passphrase: string): string | undefined {
  const text = passphrase.normalize('NFKC');
  if ([...text].length < minPassphraseLength || text.trim() === '')
    return `A passphrase has at least ${minPassphraseLength} characters.`;
  return undefined;
}

export type SecretStorageUnlock = { recoveryKey: string } | { passphrase: string };

type Slot =
  | { kind: 'recovery'; wrapped: Uint8Array }
  | { kind: 'passphrase'; salt: Uint8Array; cost: PassphraseCost; wrapped: Uint8Array };

/**
 * Secret storage as the server keeps it: the secrets sealed under a random
 * master key, and that master key wrapped once per way of unlocking (the
 * recovery key, and optionally a passphrase stretched with argon2id). The
 * server sees only this opaque blob.
 */
export interface SecretStorageBlob {
  sealed: Uint8Array;
  slots: Slot[];
}

const formatVersion = 1;
const purpose = (userId: string) => `secret-storage:${userId}`;
const slotPurpose = (userId: string, kind: Slot['kind']) => `secret-storage-slot:${kind}:${userId}`;

/**
 * Creates secret storage unlocked by `recoveryKey` (text as shown to the user). Returns the blob
 * and the master key (to add a passphrase later).
 */
export async function createSecretStorage(
  userId: string,
  secrets: AccountSecrets,
  recoveryKey: string,
): Promise<{ blob: Uint8Array; masterKey: Uint8Array }> {
  const key = parseRecoveryKey(recoveryKey);
  if (!key) throw new Error('Not a recovery key.');
  const masterKey = randomBytes(32);
  const sealed = await sealAtRest(masterKey, encodeSecrets(secrets), purpose(userId));
  const wrapped = await sealAtRest(
    recoveryWrappingKey(key),
    masterKey,
    slotPurpose(userId, 'recovery'),
  );
  return { blob: encodeBlob({ sealed, slots: [{ kind: 'recovery', wrapped }] }), masterKey };
}

/**
 * Adds (or replaces) the passphrase slot; needs the master key, from creation or from opening the
 * storage.
 */
export async function addPassphrase(
  userId: string,
  blob: Uint8Array,
  masterKey: Uint8Array,
  passphrase: string,
  cost: PassphraseCost = defaultPassphraseCost,
): Promise<Uint8Array> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  if (!costWithinBounds(cost))
    throw new Error(
      'That argon2id cost is outside what devices accept when opening secret storage.',
    );
  const decoded = decodeBlob(blob);
  if (!decoded) throw new Error('The secret storage is damaged.');
  const salt = randomBytes(16);
  const wrapped = await sealAtRest(
    await stretch(passphrase, salt, cost),
    masterKey,
    slotPurpose(userId, 'passphrase'),
  );
  return encodeBlob({
    sealed: decoded.sealed,
    slots: [
      ...decoded.slots.filter((s) => s.kind !== 'passphrase'),
      { kind: 'passphrase', salt, cost, wrapped },
    ],
  });
}

export type SecretStorageOpening =
  | { kind: 'ok'; secrets: AccountSecrets; masterKey: Uint8Array }
  | { kind: 'wrong-secret'; message: string }
  | { kind: 'malformed'; message: string };

export async function openSecretStorage(
  userId: string,
  blob: Uint8Array,
  unlock: SecretStorageUnlock,
): Promise<SecretStorageOpening> {
  const decoded = decodeBlob(blob);
  if (!decoded) return { kind: 'malformed', message: 'The secret storage is damaged.' };
  let masterKey: Uint8Array | undefined;
  if ('recoveryKey' in unlock) {
    const key = parseRecoveryKey(unlock.recoveryKey);
    if (!key)
      return {
        kind: 'wrong-secret',
        message: 'That is not a recovery key: it has 32 letters and digits (check for a typo).',
      };
    masterKey = await unwrap(decoded, 'recovery', recoveryWrappingKey(key), userId);
    if (!masterKey)
      return {
        kind: 'wrong-secret',
        message: 'This recovery key does not open this account’s backup.',
      };
  } else {
    const slot = decoded.slots.find((s) => s.kind === 'passphrase');
    if (slot?.kind !== 'passphrase')
      return {
        kind: 'wrong-secret',
        message: 'This account has no backup passphrase; use the recovery key.',
      };
    masterKey = await unwrap(
      decoded,
      'passphrase',
      await stretch(unlock.passphrase, slot.salt, slot.cost),
      userId,
    );
    if (!masterKey)
      return {
        kind: 'wrong-secret',
        message: 'This passphrase does not open this account’s backup.',
      };
  }
  const opened = await openAtRest(masterKey, decoded.sealed, purpose(userId));
  if (opened.kind !== 'ok')
    return { kind: 'malformed', message: 'The secret storage failed authentication.' };
  const secrets = decodeSecrets(opened.plaintext);
  return secrets
    ? { kind: 'ok', secrets, masterKey }
    : { kind: 'malformed', message: 'The secret storage holds no readable keys.' };
}

async function unwrap(
  blob: SecretStorageBlob,
  kind: Slot['kind'],
  wrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array | undefined> {
  const slot = blob.slots.find((s) => s.kind === kind);
  if (!slot) return undefined;
  const opened = await openAtRest(wrappingKey, slot.wrapped, slotPurpose(userId, kind));
  return opened.kind === 'ok' ? opened.plaintext : undefined;
}

function stretch(passphrase: string, salt: Uint8Array, cost: PassphraseCost): Promise<Uint8Array> {
  return argon2idAsync(utf8(passphrase.normalize('NFKC')), salt, {
    t: cost.iterations,
    m: cost.memoryKiB,
    p: cost.parallelism,
    dkLen: 32,
  });
}

function encodeSecrets(s: AccountSecrets): Uint8Array {
  return new ByteWriter()
    .u8(formatVersion)
    .bytes(encodeIdentityKeyPair(s.identity))
    .bytes(s.backupSeed)
    .finish();
}

function decodeSecrets(bytes: Uint8Array): AccountSecrets | undefined {
  try {
    const r = new ByteReader(bytes);
    if (r.u8() !== formatVersion) return undefined;
    const identity = decodeIdentityKeyPair(r.bytes(64));
    const backupSeed = r.bytes(32);
    r.end();
    return identity.kind === 'ok' && backupSeed.length === 32
      ? { identity: identity.identity, backupSeed }
      : undefined;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

function encodeBlob(blob: SecretStorageBlob): Uint8Array {
  const w = new ByteWriter().u8(formatVersion).bytes(blob.sealed).u8(blob.slots.length);
  for (const s of blob.slots) {
    if (s.kind === 'recovery') w.u8(1).bytes(s.wrapped);
    else
      w.u8(2)
        .bytes(s.salt)
        .u32(s.cost.memoryKiB)
        .u32(s.cost.iterations)
        .u8(s.cost.parallelism)
        .bytes(s.wrapped);
  }
  return w.finish();
}

/**
 * The dearest cost a device accepts when opening (2 GiB: RFC 9106's first recommended setting), so
 * a server cannot make it spend unbounded memory or time.
 */
const maxCost: PassphraseCost = { memoryKiB: 1 << 21, iterations: 64, parallelism: 16 };

function costWithinBounds(cost: PassphraseCost): boolean {
  return (
    cost.memoryKiB <= maxCost.memoryKiB &&
    cost.iterations >= 1 &&
    cost.iterations <= maxCost.iterations &&
    cost.parallelism >= 1 &&
    cost.parallelism <= maxCost.parallelism &&
    cost.memoryKiB >= 8 * cost.parallelism
  );
}

/** The argon2id cost of the blob's passphrase slot, if it has one. */
export function passphraseCostOf(blob: Uint8Array): PassphraseCost | undefined {
  const slot = decodeBlob(blob)?.slots.find((s) => s.kind === 'passphrase');
  return slot?.kind === 'passphrase' ? slot.cost : undefined;
}

function decodeBlob(bytes: Uint8Array): SecretStorageBlob | undefined {
  try {
    const r = new ByteReader(bytes);
    if (r.u8() !== formatVersion) return undefined;
    const sealed = r.bytes(4096);
    const slots: Slot[] = [];
    for (let n = r.u8(); n > 0; n--) {
      const kind = r.u8();
      if (kind === 1) slots.push({ kind: 'recovery', wrapped: r.bytes(256) });
      else if (kind === 2) {
        const salt = r.bytes(64);
        const cost = { memoryKiB: r.u32(), iterations: r.u32(), parallelism: r.u8() };
        // A server must not be able to make a device spend unbounded memory or time.
        if (!costWithinBounds(cost)) return undefined;
        slots.push({ kind: 'passphrase', salt, cost, wrapped: r.bytes(256) });
      } else return undefined;
    }
    r.end();
    return { sealed, slots };
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
