import type { ErrorCode } from '@rchat/protocol';

/**
 * Codes raised by the client itself: `NETWORK` (server unreachable),
 * `NEW_DEVICE` (this storage holds no keys for the account: link or restore
 * first), `E2EE_NOT_READY` (this device has not joined the conversation's
 * keys yet), `PEER_HAS_NO_KEYS` (the peer has no device that can receive),
 * `LINK_CODE_INVALID` (a typed link code has a typo or does not match the
 * waiting device), `LINK_ABORTED` (the other device cancelled linking),
 * `LINK_TIMEOUT`, `RECOVERY_KEY_WRONG` (the recovery key or passphrase does
 * not open the account's secret storage; nothing was changed),
 * `IDENTITY_CHANGED` (a peer's identity key changed: sending is blocked until
 * the person accepts it with `acceptIdentityChange`), `MEMBERSHIP_REFUSED`
 * (a key change that would let a non-member in was refused), `OUTBOX_FULL`
 * (this device holds as many unsent messages as it keeps; wait until some
 * are sent).
 */
export type ClientErrorCode =
  | 'NETWORK'
  | 'NEW_DEVICE'
  | 'E2EE_NOT_READY'
  | 'PEER_HAS_NO_KEYS'
  | 'LINK_CODE_INVALID'
  | 'LINK_ABORTED'
  | 'LINK_TIMEOUT'
  | 'RECOVERY_KEY_WRONG'
  | 'IDENTITY_CHANGED'
  | 'MEMBERSHIP_REFUSED'
  | 'OUTBOX_FULL';

/** An API error with the server's stable code, or a client code; `status` 0 means it did not come from the server. */
export class RchatError extends Error {
  override name = 'RchatError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
