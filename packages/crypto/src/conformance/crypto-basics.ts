// RFC 9420 §5 helper functions of a suite, as this package runs them (strict Ed25519 included).
import { refhash } from 'ts-mls/crypto/hash.js';
import { decryptWithLabel as decrypt, encryptWithLabel as encrypt } from 'ts-mls/crypto/hpke.js';
import {
  deriveSecret as derive,
  deriveTreeSecret as deriveTree,
  expandWithLabel as expand,
} from 'ts-mls/crypto/kdf.js';
import { signWithLabel as sign, verifyWithLabel as verify } from 'ts-mls/crypto/signature.js';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';

export async function refHash(
  suite: CipherSuiteId,
  label: string,
  value: Uint8Array,
): Promise<Uint8Array> {
  return refhash(label, value, (await loadCipherSuite(suite)).hash);
}

export async function expandWithLabel(
  suite: CipherSuiteId,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  return expand(secret, label, context, length, (await loadCipherSuite(suite)).kdf);
}

export async function deriveSecret(
  suite: CipherSuiteId,
  secret: Uint8Array,
  label: string,
): Promise<Uint8Array> {
  return derive(secret, label, (await loadCipherSuite(suite)).kdf);
}

/** DeriveTreeSecret with the suite's KDF output length. */
export async function deriveTreeSecret(
  suite: CipherSuiteId,
  secret: Uint8Array,
  label: string,
  generation: number,
): Promise<Uint8Array> {
  const kdf = (await loadCipherSuite(suite)).kdf;
  return deriveTree(secret, label, generation, kdf.size, kdf);
}

export async function signWithLabel(
  suite: CipherSuiteId,
  privateKey: Uint8Array,
  label: string,
  content: Uint8Array,
): Promise<Uint8Array> {
  return sign(privateKey, label, content, (await loadCipherSuite(suite)).signature);
}

export async function verifyWithLabel(
  suite: CipherSuiteId,
  publicKey: Uint8Array,
  label: string,
  content: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return verify(publicKey, label, content, signature, (await loadCipherSuite(suite)).signature);
}

export async function encryptWithLabel(
  suite: CipherSuiteId,
  publicKey: Uint8Array,
  label: string,
  context: Uint8Array,
  plaintext: Uint8Array,
): Promise<{ kemOutput: Uint8Array; ciphertext: Uint8Array }> {
  const hpke = (await loadCipherSuite(suite)).hpke;
  const { enc, ct } = await encrypt(
    await hpke.importPublicKey(publicKey),
    label,
    context,
    plaintext,
    hpke,
  );
  return { kemOutput: enc, ciphertext: ct };
}

export async function decryptWithLabel(
  suite: CipherSuiteId,
  privateKey: Uint8Array,
  label: string,
  context: Uint8Array,
  kemOutput: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  const hpke = (await loadCipherSuite(suite)).hpke;
  return new Uint8Array(
    await decrypt(
      await hpke.importPrivateKey(privateKey),
      label,
      context,
      kemOutput,
      ciphertext,
      hpke,
    ),
  );
}
