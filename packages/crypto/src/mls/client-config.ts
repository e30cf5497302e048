import {
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  type ClientConfig,
} from 'ts-mls';
import { createAuthenticationService, type CredentialProblem } from './authentication-service.ts';
import type { CipherSuiteId } from './cipher-suites.ts';
import type { MlsClient } from './mls-client.ts';

/** Collects the Authentication Service's refusals during one operation. */
export interface Refusals {
  readonly problems: CredentialProblem[];
  /**
   * What the trust source threw, when a lookup could not be made (nothing was decided about the
   * credential).
   */
  lookupFailure?: unknown;
}

/**
 * Rethrows a trust lookup that failed during the operation: the operation may succeed when it is
 * tried again.
 */
export function rethrowLookupFailure(refusals: Refusals): void {
  if ('lookupFailure' in refusals) throw refusals.lookupFailure;
}

/**
 * A ts-mls ClientConfig wired to the rchat Authentication Service. Built fresh
 * for each operation so refusals can be reported; never the library default.
 */
export function clientConfigFor(
  client: MlsClient,
  cipherSuite: CipherSuiteId,
): { config: ClientConfig; refusals: Refusals } {
  const refusals: Refusals = { problems: [] };
  const authService = createAuthenticationService(
    { trust: client.trust, now: client.now, cipherSuite },
    (p) => refusals.problems.push(p),
    (e) => (refusals.lookupFailure ??= e),
  );
  const config: ClientConfig = {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    // Application messages set their own padding (see padding.ts); handshake messages are not
    // padded.
    paddingConfig: { kind: 'alwaysPad', paddingLength: 0 },
    authService,
  };
  return { config, refusals };
}
