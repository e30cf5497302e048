import type { IdentityKeyPair } from '../identity/identity-key.ts';
import type { CipherSuiteId } from '../mls/cipher-suites.ts';
import { signEd25519 } from '../primitives/ed25519.ts';
import { concatBytes, utf8 } from '../util/bytes.ts';
import { ByteWriter } from '../util/codec.ts';

export const certificateVersion = 1;

/**
 * Prefixed to what the identity key signs, so the signature cannot be replayed as anything else.
 */
const signingLabel = utf8('rchat device certificate v1\u0000');

/** Limits that keep decoding bounded; ids are UUIDs in practice. */
export const certificateLimits = {
  idBytes: 128,
  deviceKeyBytes: 4096,
  signatureBytes: 64,
} as const;

/**
 * The identity key's statement: "device `deviceId` of user `userId` signs MLS
 * messages with `deviceSignatureKey` under `cipherSuite` until `expiresAt`".
 */
export interface DeviceCertificateFields {
  readonly userId: string;
  readonly deviceId: string;
  /** The signer's identity public key (Ed25519, 32 bytes). */
  readonly identityKey: Uint8Array;
  /** The device's MLS signature public key (its leaf's signature_key). */
  readonly deviceSignatureKey: Uint8Array;
  readonly cipherSuite: CipherSuiteId;
  /** Milliseconds since the Unix epoch. */
  readonly expiresAt: number;
}

export interface DeviceCertificate extends DeviceCertificateFields {
  readonly version: typeof certificateVersion;
  /** Ed25519 signature by `identityKey` over the signing label and the encoded fields. */
  readonly signature: Uint8Array;
}

/** The canonical encoding of everything the signature covers. */
export function encodeCertificateFields(fields: DeviceCertificateFields): Uint8Array {
  return new ByteWriter()
    .u8(certificateVersion)
    .u16(fields.cipherSuite)
    .string(fields.userId)
    .string(fields.deviceId)
    .bytes(fields.identityKey)
    .bytes(fields.deviceSignatureKey)
    .u64(fields.expiresAt)
    .finish();
}

export function certificateSigningInput(fields: DeviceCertificateFields): Uint8Array {
  return concatBytes(signingLabel, encodeCertificateFields(fields));
}

export interface IssueCertificateInput {
  readonly userId: string;
  readonly deviceId: string;
  readonly deviceSignatureKey: Uint8Array;
  readonly cipherSuite: CipherSuiteId;
  readonly expiresAt: number;
}

/** Signs a device certificate with the user's identity key. */
export function issueDeviceCertificate(
  identity: IdentityKeyPair,
  input: IssueCertificateInput,
): DeviceCertificate {
  checkFields(input);
  const fields: DeviceCertificateFields = { ...input, identityKey: identity.publicKey };
  return {
    version: certificateVersion,
    ...fields,
    signature: signEd25519(identity.privateKey, certificateSigningInput(fields)),
  };
}

function checkFields(input: IssueCertificateInput): void {
  const idOk = (id: string) => id.length > 0 && utf8(id).length <= certificateLimits.idBytes;
  if (!idOk(input.userId) || !idOk(input.deviceId))
    throw new Error(`userId and deviceId must be 1 to ${certificateLimits.idBytes} bytes.`);
  if (!Number.isSafeInteger(input.expiresAt) || input.expiresAt < 0)
    throw new Error('expiresAt must be a non-negative integer (ms since the epoch).');
  if (
    input.deviceSignatureKey.length === 0 ||
    input.deviceSignatureKey.length > certificateLimits.deviceKeyBytes
  )
    throw new Error('The device signature key has an impossible length.');
}
