import type { ErrorCode } from './errors.ts';

/**
 * Codes a client raises itself (the SDK's `RchatError` with `status` 0, or
 * the HTTP status of an answer that was not rchat's): no server sends them.
 * docs/errors.md lists them under their own heading.
 */
export const clientErrorCatalog = {
  NETWORK:
    'The server cannot be reached (offline, DNS, connection refused or reset). A failed send can be retried: it goes again under the same transaction id, so it is stored once.',
  TIMEOUT:
    "The server did not answer within the client's request timeout (`requestTimeoutMs`, 30 s by default). The request may or may not have been applied; retrying a send is safe (same transaction id).",
  BAD_RESPONSE:
    'The server answered, but not as the protocol says (a field missing or of the wrong type, a success body that is not JSON, or an error without a known code). Often a proxy in front of rchat, or a server of another version; `status` keeps the HTTP status.',
  NEW_DEVICE:
    "This device's storage holds no keys for the account: link it from a signed-in device or restore it from the recovery key first.",
  E2EE_NOT_READY:
    "This device has not joined the conversation's encryption yet (a member device adds it); try again in a moment.",
  PEER_HAS_NO_KEYS: 'The other person has no device that can receive encrypted messages yet.',
  LINK_CODE_INVALID:
    'The typed link code has a typo, or does not match the device waiting to be linked; nothing was shared.',
  LINK_ABORTED: 'Linking was cancelled, on this device or the other one; nothing was shared.',
  LINK_TIMEOUT: 'The other device did not answer in time while linking; nothing was shared.',
  RECOVERY_KEY_WRONG:
    "The recovery key or passphrase does not open the account's key backup; nothing was changed.",
  IDENTITY_CHANGED:
    "A member's encryption identity changed and has not been accepted: sending is blocked until the person compares safety numbers and accepts it.",
  MEMBERSHIP_REFUSED:
    'A key change that would let someone who is not a member of the conversation read it was refused.',
  OUTBOX_FULL:
    'This device already holds as many unsent messages as it keeps (1,000); wait until some are sent.',
} as const;

export type ClientErrorCode = keyof typeof clientErrorCatalog;

export const clientErrorCodes = Object.keys(clientErrorCatalog) as ClientErrorCode[];

/**
 * Server codes the SDK also raises itself, with `status` 0, where the client
 * decides before asking (or instead of asking) and the meaning is the
 * server's: what each means then. docs/errors.md lists them, and a test
 * checks that every code the SDK and the apps raise themselves is here or a
 * client code.
 */
export const clientRaisedServerCodes = {
  UNAUTHENTICATED: 'this client is not signed in',
  NOT_FOUND: 'no unsent message has that id, or the conversation has no other member',
  USER_NOT_FOUND: 'no user has that exact username',
  LINK_SESSION_NOT_FOUND: 'no device of the account waits with that link code',
  VALIDATION_FAILED: 'a search shorter than the minimum, or a passphrase too weak to set',
  BACKUP_NOT_FOUND: "this device has no access to the account's key backup",
} as const satisfies Partial<Record<ErrorCode, string>>;
