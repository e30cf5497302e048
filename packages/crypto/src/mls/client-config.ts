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
  );
  const config: ClientConfig = {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    // Application messages set their own padding (see padding.ts); handshake messages are not padded.
    paddingConfig: { kind: 'alwaysPad', paddingLength: 0 },
    authService,
  };
  return { config, refusals };
}
