import {
  decodeDeviceCertificate,
  encodeDeviceCertificate,
} from '../certificate/certificate-codec.ts';
import {
  issueDeviceCertificate,
  type DeviceCertificate,
} from '../certificate/device-certificate.ts';
import type { IdentityKeyPair } from '../identity/identity-key.ts';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import { loadCipherSuite, type CipherSuiteId } from './cipher-suites.ts';

/** A device's MLS signing key for one cipher suite, with its certificate. */
export interface DeviceKeys {
  readonly certificate: DeviceCertificate;
  readonly signaturePrivateKey: Uint8Array;
}

export interface SignatureKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** A fresh MLS signature key pair for the suite's signature algorithm. */
export async function generateDeviceSignatureKeyPair(
  cipherSuite: CipherSuiteId,
): Promise<SignatureKeyPair> {
  const impl = await loadCipherSuite(cipherSuite);
  const { publicKey, signKey } = await impl.signature.keygen();
  return { publicKey, privateKey: signKey };
}

export interface CreateDeviceKeysInput {
  readonly userId: string;
  readonly deviceId: string;
  readonly cipherSuite: CipherSuiteId;
  /** Milliseconds since the Unix epoch. */
  readonly expiresAt: number;
}

/** Generates the device's signature key pair and certifies it with the identity key. */
export async function createDeviceKeys(
  identity: IdentityKeyPair,
  input: CreateDeviceKeysInput,
): Promise<DeviceKeys> {
  const pair = await generateDeviceSignatureKeyPair(input.cipherSuite);
  const certificate = issueDeviceCertificate(identity, {
    ...input,
    deviceSignatureKey: pair.publicKey,
  });
  return { certificate, signaturePrivateKey: pair.privateKey };
}

/** Same key, new expiry: call before the certificate runs out. */
export function renewDeviceKeys(
  identity: IdentityKeyPair,
  device: DeviceKeys,
  expiresAt: number,
): DeviceKeys {
  const { userId, deviceId, deviceSignatureKey, cipherSuite } = device.certificate;
  return {
    ...device,
    certificate: issueDeviceCertificate(identity, {
      userId,
      deviceId,
      deviceSignatureKey,
      cipherSuite,
      expiresAt,
    }),
  };
}

const formatVersion = 1;

/** Serialises device keys for storage; seal the result (at-rest) before it touches disk. */
export function encodeDeviceKeys(device: DeviceKeys): Uint8Array {
  return new ByteWriter()
    .u8(formatVersion)
    .bytes(encodeDeviceCertificate(device.certificate))
    .bytes(device.signaturePrivateKey)
    .finish();
}

export type DeviceKeysDecoding =
  | { kind: 'ok'; device: DeviceKeys }
  | { kind: 'malformed'; message: string };

export function decodeDeviceKeys(bytes: Uint8Array): DeviceKeysDecoding {
  try {
    const r = new ByteReader(bytes);
    if (r.u8() !== formatVersion)
      return { kind: 'malformed', message: 'Unknown device keys format.' };
    const cert = decodeDeviceCertificate(r.bytes());
    const signaturePrivateKey = r.bytes();
    r.end();
    if (cert.kind !== 'ok') return { kind: 'malformed', message: cert.message };
    return { kind: 'ok', device: { certificate: cert.certificate, signaturePrivateKey } };
  } catch (e) {
    if (e instanceof DecodeError)
      return { kind: 'malformed', message: `Device keys are malformed: ${e.message}` };
    throw e;
  }
}
