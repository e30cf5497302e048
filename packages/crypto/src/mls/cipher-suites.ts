import {
  ciphersuites,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type CiphersuiteName,
} from 'ts-mls';
import { strictEd25519Signature } from './strict-signature.ts';

/** An MLS cipher suite id (RFC 9420 §17.1) that ts-mls implements. */
export type CipherSuiteId = (typeof ciphersuites)[CiphersuiteName];

/** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519. */
export const defaultCipherSuite: CipherSuiteId = 1;

const nameById = new Map<number, CiphersuiteName>(
  Object.entries(ciphersuites).map(([name, id]) => [id, name as CiphersuiteName]),
);

/** Every suite this package can run, in ts-mls's order. */
export const supportedCipherSuites: readonly CipherSuiteId[] = Object.values(ciphersuites);

export function isSupportedCipherSuite(id: number): id is CipherSuiteId {
  return nameById.has(id);
}

export function cipherSuiteName(id: CipherSuiteId): CiphersuiteName {
  const name = nameById.get(id);
  if (name === undefined) throw new Error(`Cipher suite ${id} is not supported.`);
  return name;
}

export function cipherSuiteIdOf(name: CiphersuiteName): CipherSuiteId {
  return ciphersuites[name];
}

/** Suites whose key exchange resists a quantum adversary (ML-KEM or the X-Wing hybrid). */
export function isPostQuantumCipherSuite(id: CipherSuiteId): boolean {
  const name = cipherSuiteName(id);
  return name.includes('MLKEM') || name.includes('XWING');
}

export type CipherSuiteChoice =
  | { kind: 'ok'; suite: CipherSuiteId }
  | { kind: 'not-allowed'; suite: number; message: string };

/**
 * Operator policy: `allowed` comes from the server's well-known document, the
 * first entry being the default. Unknown ids in the policy are ignored.
 */
export function chooseCipherSuite(
  allowed: readonly number[],
  requested?: number,
): CipherSuiteChoice {
  const usable = allowed.filter(isSupportedCipherSuite);
  const suite = requested ?? usable[0];
  if (suite === undefined)
    return {
      kind: 'not-allowed',
      suite: -1,
      message: 'The policy allows no cipher suite this client supports.',
    };
  if (!usable.includes(suite as CipherSuiteId)) {
    return {
      kind: 'not-allowed',
      suite,
      message: `Cipher suite ${suite} is not allowed by the operator policy (allowed: ${usable.join(', ') || 'none'}).`,
    };
  }
  return { kind: 'ok', suite: suite as CipherSuiteId };
}

const cache = new Map<CipherSuiteId, Promise<CiphersuiteImpl>>();

/**
 * The ts-mls implementation of a suite, with Ed25519 verification replaced by
 * strict RFC 8032 checks. Loaded once per suite.
 */
export function loadCipherSuite(id: CipherSuiteId): Promise<CiphersuiteImpl> {
  let impl = cache.get(id);
  if (impl === undefined) {
    impl = build(id);
    cache.set(id, impl);
  }
  return impl;
}

async function build(id: CipherSuiteId): Promise<CiphersuiteImpl> {
  const suite = getCiphersuiteFromName(cipherSuiteName(id));
  const impl = await getCiphersuiteImpl(suite);
  return suite.signature === 'Ed25519' ? { ...impl, signature: strictEd25519Signature } : impl;
}
