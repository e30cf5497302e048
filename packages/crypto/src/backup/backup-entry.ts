import { signEd25519, verifyEd25519 } from '../primitives/ed25519.ts';
import type { IdentityKeyPair } from '../identity/identity-key.ts';
import { concatBytes, randomBytes, utf8 } from '../util/bytes.ts';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import { hpke, hpkeKeyPairFromSeed } from './hpke-suite.ts';

const formatVersion = 1;
const info = utf8('rchat message backup v1');

/** A fresh backup seed (the account's message-backup key pair is derived from it). */
export function generateBackupSeed(): Uint8Array {
  return randomBytes(32);
}

/** The public key entries are sealed to, from the seed. */
export async function backupPublicKey(seed: Uint8Array): Promise<Uint8Array> {
  return (await hpkeKeyPairFromSeed(seed)).publicKey;
}

export interface BackupWriter {
  userId: string;
  deviceId: string;
  /**
   * The account identity key every device of the account holds; it signs, so the server cannot
   * forge or alter entries.
   */
  identity: IdentityKeyPair;
  backupPublicKey: Uint8Array;
}

function context(userId: string, deviceId: string): Uint8Array {
  return new ByteWriter().string(userId).string(deviceId).finish();
}

function signed(
  userId: string,
  deviceId: string,
  enc: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  return concatBytes(
    utf8('rchat backup entry v1\u0000'),
    context(userId, deviceId),
    new ByteWriter().bytes(enc).bytes(ciphertext).finish(),
  );
}

/**
 * One backup entry: `plaintext` sealed with HPKE to the backup public key
 * (so writing needs no recovery key), bound to the user and writing device,
 * and signed with the identity key.
 */
export async function sealBackupEntry(
  writer: BackupWriter,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const recipientPublicKey = await hpke.kem.deserializePublicKey(writer.backupPublicKey);
  const { ct: ciphertext, enc } = await hpke.seal(
    { recipientPublicKey, info },
    plaintext,
    context(writer.userId, writer.deviceId),
  );
  const ct = new Uint8Array(ciphertext);
  const encBytes = new Uint8Array(enc);
  const signature = signEd25519(
    writer.identity.privateKey,
    signed(writer.userId, writer.deviceId, encBytes, ct),
  );
  return new ByteWriter()
    .u8(formatVersion)
    .string(writer.deviceId)
    .bytes(encBytes)
    .bytes(ct)
    .bytes(signature)
    .finish();
}

export type BackupEntryOpening =
  | { kind: 'ok'; plaintext: Uint8Array; deviceId: string }
  | { kind: 'bad-signature'; message: string }
  | { kind: 'malformed'; message: string };

/**
 * Verifies the signature against the account's identity key, then opens the entry with the backup
 * key.
 */
export async function openBackupEntry(
  reader: { userId: string; identityPublicKey: Uint8Array; backupSeed: Uint8Array },
  entry: Uint8Array,
): Promise<BackupEntryOpening> {
  let parts: { deviceId: string; enc: Uint8Array; ct: Uint8Array; signature: Uint8Array };
  try {
    const r = new ByteReader(entry);
    if (r.u8() !== formatVersion)
      return { kind: 'malformed', message: 'Unknown backup entry format.' };
    parts = { deviceId: r.string(64), enc: r.bytes(64), ct: r.bytes(), signature: r.bytes(64) };
    r.end();
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'malformed', message: e.message };
    throw e;
  }
  if (
    !verifyEd25519(
      reader.identityPublicKey,
      signed(reader.userId, parts.deviceId, parts.enc, parts.ct),
      parts.signature,
    )
  ) {
    return {
      kind: 'bad-signature',
      message:
        'This backup entry is not signed by the account’s identity key; it was altered or forged.',
    };
  }
  const { privateKey } = await hpkeKeyPairFromSeed(reader.backupSeed);
  try {
    const plaintext = await hpke.open(
      { recipientKey: privateKey, enc: parts.enc, info },
      parts.ct,
      context(reader.userId, parts.deviceId),
    );
    return { kind: 'ok', plaintext: new Uint8Array(plaintext), deviceId: parts.deviceId };
  } catch {
    return {
      kind: 'malformed',
      message: 'This backup entry does not open with this account’s backup key.',
    };
  }
}
