import type { AuthenticationService, Credential } from 'ts-mls';
import type { DeviceCertificate } from '../certificate/device-certificate.ts';
import { verifyDeviceCertificate } from '../certificate/verify-certificate.ts';
import { assertNever } from '@rchat/protocol';
import { bytesEqual } from '../util/bytes.ts';
import type { CipherSuiteId } from './cipher-suites.ts';
import { certificateOfCredential } from './credential.ts';
import type { TrustSource } from './trust-source.ts';

/** Why a leaf's credential was refused; `message` is a sentence for people. */
export type CredentialProblem = {
  readonly kind:
    | 'malformed-credential'
    | 'unknown-user'
    | 'wrong-identity'
    | 'bad-signature'
    | 'expired'
    | 'device-key-mismatch'
    | 'suite-mismatch'
    | 'revoked';
  readonly userId?: string;
  readonly deviceId?: string;
  readonly message: string;
};

export type CredentialCheck =
  | { kind: 'ok'; certificate: DeviceCertificate }
  | { kind: 'refused'; problem: CredentialProblem };

export interface CredentialPolicy {
  readonly trust: TrustSource;
  readonly now: () => number;
  readonly cipherSuite: CipherSuiteId;
}

/**
 * The rchat Authentication Service rules, applied to every leaf:
 * the credential holds a device certificate; the certificate is signed by the
 * identity key trusted for its user; its device key is the leaf's signature
 * key; it names the group's suite; it has not expired; the device is not revoked.
 */
export async function checkCredential(
  credential: Credential,
  leafSignatureKey: Uint8Array,
  policy: CredentialPolicy,
): Promise<CredentialCheck> {
  const refused = (problem: CredentialProblem): CredentialCheck => ({ kind: 'refused', problem });
  const decoded = certificateOfCredential(credential);
  if (decoded.kind !== 'ok')
    return refused({ kind: 'malformed-credential', message: decoded.message });
  const cert = decoded.certificate;
  const who = { userId: cert.userId, deviceId: cert.deviceId };
  const trusted = await policy.trust.identityKeyOf(cert.userId);
  if (trusted === undefined)
    return refused({
      kind: 'unknown-user',
      ...who,
      message: `No identity key is known for user ${cert.userId}, so device ${cert.deviceId} cannot be authenticated.`,
    });
  const verification = verifyDeviceCertificate(cert, {
    trustedIdentityKey: trusted,
    now: policy.now(),
  });
  switch (verification.kind) {
    case 'ok':
      break;
    case 'wrong-key':
      return refused({ kind: 'wrong-identity', ...who, message: verification.message });
    case 'bad-signature':
    case 'expired':
      return refused({ kind: verification.kind, ...who, message: verification.message });
    default:
      return assertNever(verification, 'certificate verification');
  }
  if (!bytesEqual(cert.deviceSignatureKey, leafSignatureKey)) {
    return refused({
      kind: 'device-key-mismatch',
      ...who,
      message: `The MLS leaf of device ${cert.deviceId} of user ${cert.userId} signs with a key other than the one its certificate names.`,
    });
  }
  if (cert.cipherSuite !== policy.cipherSuite) {
    return refused({
      kind: 'suite-mismatch',
      ...who,
      message: `The certificate of device ${cert.deviceId} is for cipher suite ${cert.cipherSuite}, but the group uses suite ${policy.cipherSuite}.`,
    });
  }
  if (await policy.trust.isDeviceRevoked(cert.userId, cert.deviceId)) {
    return refused({
      kind: 'revoked',
      ...who,
      message: `Device ${cert.deviceId} of user ${cert.userId} has been revoked.`,
    });
  }
  return { kind: 'ok', certificate: cert };
}

/**
 * The same rules behind ts-mls's AuthenticationService interface. ts-mls only
 * learns yes/no, so each refusal is also handed to `onRefused`, which lets the
 * caller report the reason. A lookup that fails (the trust source throws) is
 * handed to `onLookupFailed`, so the caller can raise it rather than treat the
 * message as invalid: it may succeed later.
 */
export function createAuthenticationService(
  policy: CredentialPolicy,
  onRefused: (problem: CredentialProblem) => void,
  onLookupFailed: (error: unknown) => void = () => {},
): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      let check: CredentialCheck;
      try {
        check = await checkCredential(credential, signaturePublicKey, policy);
      } catch (e) {
        // The trust source could not answer (the directory was out of reach): that says nothing
        // about the credential.
        onLookupFailed(e);
        throw e;
      }
      if (check.kind === 'refused') onRefused(check.problem);
      return check.kind === 'ok';
    },
  };
}
