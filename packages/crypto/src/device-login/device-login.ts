import type { DeviceCertificate } from '../certificate/device-certificate.ts';
import { loadCipherSuite } from '../mls/cipher-suites.ts';
import type { DeviceKeys } from '../mls/device-keys.ts';
import { ByteWriter } from '../util/codec.ts';

const label = new TextEncoder().encode('rchat device login v1');

/**
 * What a device signs to sign in as itself: a fixed label, the server's
 * single-use challenge, and the user and device it claims to be. The label
 * keeps the signature from meaning anything in MLS (whose signed content
 * always starts with its own labels), and naming the user and device stops
 * a proof for one device from opening another.
 */
export function deviceLoginStatement(
  challenge: string,
  userId: string,
  deviceId: string,
): Uint8Array {
  const enc = new TextEncoder();
  return new ByteWriter()
    .bytes(label)
    .bytes(enc.encode(challenge))
    .bytes(enc.encode(userId))
    .bytes(enc.encode(deviceId))
    .finish();
}

/** Signs the statement with the device's signature key (its suite's algorithm). */
export async function signDeviceLogin(device: DeviceKeys, challenge: string): Promise<Uint8Array> {
  const impl = await loadCipherSuite(device.certificate.cipherSuite);
  return impl.signature.sign(
    device.signaturePrivateKey,
    deviceLoginStatement(challenge, device.certificate.userId, device.certificate.deviceId),
  );
}

/**
 * True when `signature` is the certified device key's signature over the statement for this
 * challenge, user and device.
 */
export async function verifyDeviceLogin(
  certificate: DeviceCertificate,
  challenge: string,
  signature: Uint8Array,
): Promise<boolean> {
  const impl = await loadCipherSuite(certificate.cipherSuite);
  try {
    return await impl.signature.verify(
      certificate.deviceSignatureKey,
      deviceLoginStatement(challenge, certificate.userId, certificate.deviceId),
      signature,
    );
  } catch {
    return false;
  }
}
