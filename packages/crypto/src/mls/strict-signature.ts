import type { Signature } from 'ts-mls';
import { generateEd25519KeyPair, signEd25519, verifyEd25519 } from '../primitives/ed25519.ts';

/** ts-mls's signature interface over our strict Ed25519 (32-byte seeds). */
export const strictEd25519Signature: Signature = {
  sign: (signKey, message) => Promise.resolve(signEd25519(signKey, message)),
  verify: (publicKey, message, signature) =>
    Promise.resolve(verifyEd25519(publicKey, message, signature)),
  keygen: () => {
    const pair = generateEd25519KeyPair();
    return Promise.resolve({ signKey: pair.privateKey, publicKey: pair.publicKey });
  },
};
