import {
  decodeMlsMessage,
  defaultCapabilities,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type Capabilities,
  type KeyPackage,
  type PrivateKeyPackage,
} from 'ts-mls';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import {
  isSupportedCipherSuite,
  loadCipherSuite,
  cipherSuiteIdOf,
  type CipherSuiteId,
} from './cipher-suites.ts';
import { certificateOfCredential, credentialForCertificate } from './credential.ts';
import type { CertificateDecoding } from '../certificate/certificate-codec.ts';
import type { DeviceKeys } from './device-keys.ts';

/** KeyPackage extension `last_resort` (draft-ietf-mls-extensions): may be used more than once. */
export const lastResortExtensionType = 0x000a;

const day = 86_400_000;
export const defaultKeyPackageLifetimeMs = 90 * day;

/**
 * A published KeyPackage and the private keys that go with it (keep these sealed on the device).
 */
export interface KeyPackageBundle {
  /** MLSMessage-encoded KeyPackage: upload this to the directory. */
  readonly keyPackage: Uint8Array;
  /** RFC 9420 KeyPackageRef; a Welcome names the package it is for by this value. */
  readonly ref: Uint8Array;
  readonly lastResort: boolean;
  readonly cipherSuite: CipherSuiteId;
  readonly privateKeys: PrivateKeyPackage;
}

export interface KeyPackageOptions {
  readonly lastResort?: boolean;
  readonly lifetimeMs?: number;
  /** Clock in ms; defaults to Date.now. */
  readonly now?: number;
}

export function rchatCapabilities(): Capabilities {
  const base = defaultCapabilities();
  return {
    ...base,
    credentials: ['basic'],
    extensions: [...base.extensions, lastResortExtensionType],
  };
}

/** One KeyPackage for this device; its lifetime never outlasts the device certificate. */
export async function generateKeyPackage(
  device: DeviceKeys,
  options: KeyPackageOptions = {},
): Promise<KeyPackageBundle> {
  const cert = device.certificate;
  const impl = await loadCipherSuite(cert.cipherSuite);
  const now = options.now ?? Date.now();
  const notAfterMs = Math.min(
    now + (options.lifetimeMs ?? defaultKeyPackageLifetimeMs),
    cert.expiresAt,
  );
  if (notAfterMs <= now)
    throw new Error('The device certificate has expired; renew it before publishing KeyPackages.');
  const lastResort = options.lastResort ?? false;
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    credentialForCertificate(cert),
    rchatCapabilities(),
    {
      notBefore: BigInt(Math.floor(now / 1000) - 60),
      notAfter: BigInt(Math.floor(notAfterMs / 1000)),
    },
    lastResort ? [{ extensionType: lastResortExtensionType, extensionData: new Uint8Array() }] : [],
    { signKey: device.signaturePrivateKey, publicKey: cert.deviceSignatureKey },
    impl,
  );
  return {
    keyPackage: encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_key_package',
      keyPackage: publicPackage,
    }),
    ref: await makeKeyPackageRef(publicPackage, impl.hash),
    lastResort,
    cipherSuite: cert.cipherSuite,
    privateKeys: privatePackage,
  };
}

/** `count` one-time KeyPackages. */
export async function generateKeyPackages(
  device: DeviceKeys,
  count: number,
  options: Omit<KeyPackageOptions, 'lastResort'> = {},
): Promise<KeyPackageBundle[]> {
  const out: KeyPackageBundle[] = [];
  for (let i = 0; i < count; i++) out.push(await generateKeyPackage(device, options));
  return out;
}

export type KeyPackageDecoding =
  | { kind: 'ok'; keyPackage: KeyPackage; cipherSuite: CipherSuiteId }
  | { kind: 'malformed'; message: string };

export function decodeKeyPackage(bytes: Uint8Array): KeyPackageDecoding {
  const decoded = decodeMlsMessage(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length)
    return { kind: 'malformed', message: 'Not an encoded MLS message.' };
  const message = decoded[0];
  if (message.wireformat !== 'mls_key_package')
    return { kind: 'malformed', message: `Expected a KeyPackage, got ${message.wireformat}.` };
  const suite = cipherSuiteIdOf(message.keyPackage.cipherSuite);
  if (!isSupportedCipherSuite(suite))
    return { kind: 'malformed', message: 'KeyPackage uses an unknown cipher suite.' };
  return { kind: 'ok', keyPackage: message.keyPackage, cipherSuite: suite };
}

/**
 * The device certificate inside a KeyPackage's leaf credential: who the
 * package claims to be. A client compares it with the user and device it
 * meant to add before adding, so a server cannot slip another user's (or
 * another device's) package into a claim answer.
 */
export function keyPackageCertificate(bytes: Uint8Array): CertificateDecoding {
  const decoded = decodeKeyPackage(bytes);
  if (decoded.kind !== 'ok') return decoded;
  return certificateOfCredential(decoded.keyPackage.leafNode.credential);
}

const formatVersion = 1;

/** Serialises a bundle (including its private keys) for sealed storage. */
export function encodeKeyPackageBundle(bundle: KeyPackageBundle): Uint8Array {
  const k = bundle.privateKeys;
  return new ByteWriter()
    .u8(formatVersion)
    .u8(bundle.lastResort ? 1 : 0)
    .bytes(bundle.keyPackage)
    .bytes(k.initPrivateKey)
    .bytes(k.hpkePrivateKey)
    .bytes(k.signaturePrivateKey)
    .finish();
}

export type KeyPackageBundleDecoding =
  | { kind: 'ok'; bundle: KeyPackageBundle }
  | { kind: 'malformed'; message: string };

export async function decodeKeyPackageBundle(bytes: Uint8Array): Promise<KeyPackageBundleDecoding> {
  try {
    const r = new ByteReader(bytes);
    if (r.u8() !== formatVersion)
      return { kind: 'malformed', message: 'Unknown KeyPackage bundle format.' };
    const lastResort = r.u8() === 1;
    const keyPackage = r.bytes();
    const privateKeys: PrivateKeyPackage = {
      initPrivateKey: r.bytes(),
      hpkePrivateKey: r.bytes(),
      signaturePrivateKey: r.bytes(),
    };
    r.end();
    const kp = decodeKeyPackage(keyPackage);
    if (kp.kind !== 'ok') return kp;
    const impl = await loadCipherSuite(kp.cipherSuite);
    return {
      kind: 'ok',
      bundle: {
        keyPackage,
        ref: await makeKeyPackageRef(kp.keyPackage, impl.hash),
        lastResort,
        cipherSuite: kp.cipherSuite,
        privateKeys,
      },
    };
  } catch (e) {
    if (e instanceof DecodeError)
      return { kind: 'malformed', message: `KeyPackage bundle is malformed: ${e.message}` };
    throw e;
  }
}
