import { isSupportedCipherSuite } from '../mls/cipher-suites.ts';
import { fromBase64, toBase64 } from '../util/base64.ts';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import {
  certificateLimits,
  certificateVersion,
  encodeCertificateFields,
  type DeviceCertificate,
} from './device-certificate.ts';

export type CertificateDecoding =
  | { kind: 'ok'; certificate: DeviceCertificate }
  | { kind: 'unsupported-version'; version: number; message: string }
  | { kind: 'malformed'; message: string };

/** fields ‖ u32 length ‖ signature; see README "Device certificate". */
export function encodeDeviceCertificate(cert: DeviceCertificate): Uint8Array {
  return new ByteWriter().raw(encodeCertificateFields(cert)).bytes(cert.signature).finish();
}

export function decodeDeviceCertificate(bytes: Uint8Array): CertificateDecoding {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== certificateVersion)
      return {
        kind: 'unsupported-version',
        version,
        message: `Device certificate version ${version} is not supported (this client reads version ${certificateVersion}).`,
      };
    const cipherSuite = r.u16();
    const userId = r.string(certificateLimits.idBytes);
    const deviceId = r.string(certificateLimits.idBytes);
    const identityKey = r.bytes(32);
    const deviceSignatureKey = r.bytes(certificateLimits.deviceKeyBytes);
    const expiresAt = r.u64Number();
    const signature = r.bytes(certificateLimits.signatureBytes);
    r.end();
    if (!isSupportedCipherSuite(cipherSuite))
      return {
        kind: 'malformed',
        message: `Device certificate names unknown cipher suite ${cipherSuite}.`,
      };
    if (userId === '' || deviceId === '')
      return { kind: 'malformed', message: 'Device certificate has an empty user or device id.' };
    if (identityKey.length !== 32)
      return { kind: 'malformed', message: 'Device certificate identity key is not 32 bytes.' };
    return {
      kind: 'ok',
      certificate: {
        version,
        cipherSuite,
        userId,
        deviceId,
        identityKey,
        deviceSignatureKey,
        expiresAt,
        signature,
      },
    };
  } catch (e) {
    if (e instanceof DecodeError)
      return { kind: 'malformed', message: `Device certificate is malformed: ${e.message}` };
    throw e;
  }
}

export function deviceCertificateToBase64(cert: DeviceCertificate): string {
  return toBase64(encodeDeviceCertificate(cert));
}

export function deviceCertificateFromBase64(text: string): CertificateDecoding {
  const bytes = fromBase64(text);
  if (bytes === undefined)
    return { kind: 'malformed', message: 'Device certificate is not standard base64.' };
  return decodeDeviceCertificate(bytes);
}
