import { and, eq } from 'drizzle-orm';
import { decodeDeviceCertificate, verifyDeviceCertificate } from '@rchat/crypto';
import { AppError } from '@rchat/server-kit';
import { devices, users } from '../db/schema.ts';
import type { UsersDeps } from './deps.ts';

/**
 * Stores the calling device's certificate after checking it: it must decode,
 * be signed by the account's identity key, name this user and this device,
 * use an allowed cipher suite, and not be expired. Clients check the same
 * chain themselves; the server's check keeps garbage out of the directory.
 */
export async function setDeviceCertificate(
  deps: UsersDeps,
  caller: { userId: string; deviceId: string },
  certificateB64: string,
): Promise<void> {
  const bytes = new Uint8Array(Buffer.from(certificateB64, 'base64'));
  const decoded = decodeDeviceCertificate(bytes);
  if (decoded.kind !== 'ok') throw invalid(`It does not decode (${decoded.message})`);
  const certificate = decoded.certificate;
  const [user] = await deps.db
    .select({ identityKey: users.identityKey })
    .from(users)
    .where(eq(users.id, caller.userId))
    .limit(1);
  if (!user?.identityKey)
    throw new AppError(
      'IDENTITY_KEY_MISSING',
      'Set the account identity key before uploading device certificates.',
    );
  if (certificate.userId !== caller.userId || certificate.deviceId !== caller.deviceId)
    throw invalid('It names another user or device');
  if (!deps.config.MLS_CIPHER_SUITES.includes(certificate.cipherSuite))
    throw invalid(`Cipher suite ${certificate.cipherSuite} is not allowed here`);
  const verdict = verifyDeviceCertificate(certificate, {
    trustedIdentityKey: new Uint8Array(user.identityKey),
    now: deps.now().getTime(),
  });
  if (verdict.kind !== 'ok') throw invalid(verdict.message.replace(/\.$/, ''));
  await deps.db
    .update(devices)
    .set({ certificate: bytes })
    .where(and(eq(devices.id, caller.deviceId), eq(devices.userId, caller.userId)));
}

function invalid(why: string): AppError {
  return new AppError('INVALID_CERTIFICATE', `The device certificate was refused: ${why}.`);
}
