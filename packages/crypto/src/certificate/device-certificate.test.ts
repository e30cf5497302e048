import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import {
  decodeDeviceCertificate,
  deviceCertificateFromBase64,
  deviceCertificateToBase64,
  encodeDeviceCertificate,
} from './certificate-codec.ts';
import { issueDeviceCertificate } from './device-certificate.ts';
import { verifyDeviceCertificate } from './verify-certificate.ts';

const identity = generateIdentityKeyPair();
const now = 1_750_000_000_000;
const input = {
  userId: 'u-1',
  deviceId: 'd-1',
  deviceSignatureKey: new Uint8Array(32).fill(7),
  cipherSuite: 1 as const,
  expiresAt: now + 1000,
};

describe('device certificates', () => {
  it('round-trips through bytes and base64 and verifies', () => {
    const cert = issueDeviceCertificate(identity, input);
    const decoded = decodeDeviceCertificate(encodeDeviceCertificate(cert));
    expect(decoded).toEqual({ kind: 'ok', certificate: cert });
    const viaText = deviceCertificateFromBase64(deviceCertificateToBase64(cert));
    expect(
      viaText.kind === 'ok' &&
        verifyDeviceCertificate(viaText.certificate, {
          trustedIdentityKey: identity.publicKey,
          now,
        }).kind,
    ).toBe('ok');
  });

  it('reports wrong key, bad signature and expiry distinctly', () => {
    const cert = issueDeviceCertificate(identity, input);
    const other = generateIdentityKeyPair();
    expect(verifyDeviceCertificate(cert, { trustedIdentityKey: other.publicKey, now }).kind).toBe(
      'wrong-key',
    );
    expect(
      verifyDeviceCertificate(
        { ...cert, deviceId: 'd-2' },
        { trustedIdentityKey: identity.publicKey, now },
      ).kind,
    ).toBe('bad-signature');
    expect(
      verifyDeviceCertificate(
        { ...cert, expiresAt: now + 5000 },
        { trustedIdentityKey: identity.publicKey, now },
      ).kind,
    ).toBe('bad-signature');
    expect(
      verifyDeviceCertificate(cert, {
        trustedIdentityKey: identity.publicKey,
        now: cert.expiresAt,
      }),
    ).toMatchObject({ kind: 'expired' });
  });

  it('binds every field: changing any encoded byte breaks the signature or the decoding', () => {
    const cert = issueDeviceCertificate(identity, input);
    const bytes = encodeDeviceCertificate(cert);
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i]! ^= 0x01;
      const decoded = decodeDeviceCertificate(copy);
      if (decoded.kind === 'ok')
        expect(
          verifyDeviceCertificate(decoded.certificate, {
            trustedIdentityKey: identity.publicKey,
            now,
          }).kind,
        ).not.toBe('ok');
    }
  });

  it('rejects truncation, trailing bytes, other versions and bad base64', () => {
    const bytes = encodeDeviceCertificate(issueDeviceCertificate(identity, input));
    expect(decodeDeviceCertificate(bytes.subarray(0, bytes.length - 1)).kind).toBe('malformed');
    expect(decodeDeviceCertificate(new Uint8Array([...bytes, 0])).kind).toBe('malformed');
    expect(decodeDeviceCertificate(new Uint8Array([2, ...bytes.subarray(1)])).kind).toBe(
      'unsupported-version',
    );
    expect(deviceCertificateFromBase64('not base64!').kind).toBe('malformed');
  });

  it('refuses to issue certificates with impossible fields', () => {
    expect(() => issueDeviceCertificate(identity, { ...input, userId: '' })).toThrow();
    expect(() => issueDeviceCertificate(identity, { ...input, expiresAt: 1.5 })).toThrow();
  });
});
