import type { Credential } from 'ts-mls';
import {
  decodeDeviceCertificate,
  encodeDeviceCertificate,
  type CertificateDecoding,
} from '../certificate/certificate-codec.ts';
import type { DeviceCertificate } from '../certificate/device-certificate.ts';

/**
 * A leaf's MLS credential is a basic credential whose identity is the encoded
 * device certificate: userId, deviceId, identity key, device signature key,
 * suite, expiry and the identity key's signature, all in one.
 */
export function credentialForCertificate(certificate: DeviceCertificate): Credential {
  return { credentialType: 'basic', identity: encodeDeviceCertificate(certificate) };
}

export function certificateOfCredential(credential: Credential): CertificateDecoding {
  if (credential.credentialType !== 'basic') {
    return {
      kind: 'malformed',
      message: `Credential type ${credential.credentialType} is not accepted; rchat leaves carry a device certificate in a basic credential.`,
    };
  }
  return decodeDeviceCertificate(credential.identity);
}
