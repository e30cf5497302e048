import { defaultCipherSuite, isSupportedCipherSuite, type CipherSuiteId } from './cipher-suites.ts';
import type { TrustSource } from './trust-source.ts';

export interface MlsClientOptions {
  /** Where the Authentication Service learns trusted identity keys and revocations. */
  readonly trust: TrustSource;
  /** Operator policy (well-known `cipherSuites`); the first is the default. Defaults to [1]. */
  readonly allowedCipherSuites?: readonly number[];
  /** Clock in milliseconds since the Unix epoch; defaults to Date.now. */
  readonly now?: () => number;
}

/** The settings every group operation needs; create one per device. */
export interface MlsClient {
  readonly trust: TrustSource;
  readonly allowedCipherSuites: readonly CipherSuiteId[];
  readonly now: () => number;
}

export function createMlsClient(options: MlsClientOptions): MlsClient {
  const allowed = (options.allowedCipherSuites ?? [defaultCipherSuite]).filter(
    isSupportedCipherSuite,
  );
  if (allowed.length === 0)
    throw new Error('The cipher suite policy allows no suite this client supports.');
  return Object.freeze({
    trust: options.trust,
    allowedCipherSuites: Object.freeze(allowed),
    now: options.now ?? (() => Date.now()),
  });
}

export function assertSuiteAllowed(client: MlsClient, suite: CipherSuiteId): void {
  if (!client.allowedCipherSuites.includes(suite)) {
    throw new Error(
      `Cipher suite ${suite} is not allowed by the operator policy (allowed: ${client.allowedCipherSuites.join(', ')}).`,
    );
  }
}
