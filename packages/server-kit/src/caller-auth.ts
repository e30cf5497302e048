import type { Bus } from './bus.ts';
import { DeviceRevocations, type RevocationSource } from './device-revocations.ts';
import { createTokenVerifier, type KeySetSource, type TokenVerifier } from './jwt-verifier.ts';
import type { Logger } from './logger.ts';

/**
 * What a process checks callers with: one token verifier (its cache of checked tokens) and one
 * tracker of
 * revoked devices and ended sessions. The single-process server opens one and hands it to every
 * service;
 * a service running on its own opens its own.
 */
export interface CallerAuth {
  readonly verifier: TokenVerifier;
  readonly revocations: DeviceRevocations;
  close(): void;
}

export async function openCallerAuth(options: {
  bus: Bus;
  /** Where token keys come from (in-process from the users service, or its JWKS over HTTP). */
  keySet: KeySetSource;
  /** Recent revocations, read at start and when the bus reconnects (the bus brings later ones). */
  revocations: RevocationSource | undefined;
  logger: Logger;
  /**
   * Least time between two key-set fetches for an unknown key id (0 when the keys are in-process).
   */
  minRefreshMs?: number;
}): Promise<CallerAuth> {
  const revocations = new DeviceRevocations(options.bus, options.revocations, options.logger);
  await revocations.start();
  const verifier = createTokenVerifier(options.keySet, {
    ...(options.minRefreshMs !== undefined ? { minRefreshMs: options.minRefreshMs } : {}),
    isRevoked: revocations.isRevoked,
    isSessionEnded: revocations.isSessionEnded,
  });
  return { verifier, revocations, close: () => revocations.close() };
}
