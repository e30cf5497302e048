// RFC 9420 §12.4.3.1 Welcome processing, step by step.
import { decodeMlsMessage } from 'ts-mls';
import { verifyGroupInfoConfirmationTag, verifyGroupInfoSignature } from 'ts-mls/groupInfo.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { decryptGroupInfo, decryptGroupSecrets } from 'ts-mls/welcome.js';
import { bytesEqual } from '../util/bytes.ts';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';

export interface WelcomeCheck {
  readonly keyPackageRef: Uint8Array;
  readonly confirmationTagValid: boolean;
  readonly signatureValid: boolean;
}

/** Decrypts a Welcome for a KeyPackage (no PSKs) and checks the GroupInfo's tag and signature. */
export async function openWelcome(
  suite: CipherSuiteId,
  welcome: Uint8Array,
  keyPackage: Uint8Array,
  initPrivateKey: Uint8Array,
  signerPublicKey: Uint8Array,
): Promise<WelcomeCheck> {
  const impl = await loadCipherSuite(suite);
  const w = decodeMlsMessage(welcome, 0)?.[0];
  const kp = decodeMlsMessage(keyPackage, 0)?.[0];
  if (w?.wireformat !== 'mls_welcome' || kp?.wireformat !== 'mls_key_package')
    throw new Error('Expected a Welcome and a KeyPackage.');
  const ref = await makeKeyPackageRef(kp.keyPackage, impl.hash);
  if (!w.welcome.secrets.some((s) => bytesEqual(s.newMember, ref)))
    throw new Error('The Welcome is not for this KeyPackage.');
  const secrets = await decryptGroupSecrets(
    await impl.hpke.importPrivateKey(initPrivateKey),
    ref,
    w.welcome,
    impl.hpke,
  );
  if (secrets === undefined) throw new Error('Group secrets do not decrypt.');
  const psk = new Uint8Array(impl.kdf.size);
  const info = await decryptGroupInfo(w.welcome, secrets.joinerSecret, psk, impl);
  if (info === undefined) throw new Error('GroupInfo does not decrypt.');
  return {
    keyPackageRef: ref,
    confirmationTagValid: await verifyGroupInfoConfirmationTag(
      info,
      secrets.joinerSecret,
      psk,
      impl,
    ),
    signatureValid: await verifyGroupInfoSignature(info, signerPublicKey, impl.signature),
  };
}
