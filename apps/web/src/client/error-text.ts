import type { RchatErrorCode } from '@rchat/sdk';

/**
 * The shape of the SDK's RchatError, checked structurally so this module does not pull the SDK into
 * the first chunk.
 */
interface CodedError {
  code: string;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
}

function isCodedError(error: unknown): error is CodedError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** The error's code (an RchatError's, or any error shaped like one), if it has one. */
export function errorCode(error: unknown): string | undefined {
  return isCodedError(error) ? error.code : undefined;
}

function firstDetail(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  const first: unknown = details[0];
  return typeof first === 'object' &&
    first !== null &&
    typeof (first as { message?: unknown }).message === 'string'
    ? (first as { message: string }).message
    : undefined;
}

/**
 * Why a device was signed out by an identity reset, and what to do (the login page and the main
 * page say it alike).
 */
export const identityResetText =
  "Someone reset your account's encryption identity, so this browser was signed out and cannot read or send messages any more. " +
  'If it was you, link this browser from the device you reset on, or restore it with the new recovery key. ' +
  'If it was not you, someone else knows your password: log in and reset the identity yourself, and ask your contacts to compare safety numbers with you before they accept it.';

/** A sentence a person can act on, for an error of signing in or registering. */
export function signInErrorText(error: unknown, username: string): string {
  if (!isCodedError(error)) return 'Something went wrong on this page. Reload it and try again.';
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return 'The username or password is wrong. Check both and try again.';
    case 'USERNAME_TAKEN':
      return `The username "${username}" is already taken. Choose another one.`;
    case 'WEAK_PASSWORD':
      return `This password is too weak: ${error.message} Choose a longer or less common one.`;
    case 'VALIDATION_FAILED':
      return firstDetail(error.details) ?? 'Check the username and password and try again.';
    case 'REGISTRATION_CLOSED':
      return `${error.message} Ask the operator of this server for an account.`;
    case 'IDENTITY_RESET':
      return identityResetText;
    case 'NEW_DEVICE':
      return `This browser has no keys for "${username}", so it is a new device for this account: link it from a device where you are signed in, or restore it from your recovery key.`;
    default:
      return actionErrorText(error);
  }
}

/**
 * A sentence for a failed step of linking a device; `side` is the device the person is looking at.
 */
export function linkErrorText(error: unknown, side: 'new' | 'signed-in'): string {
  if (!isCodedError(error)) return actionErrorText(error);
  switch (error.code) {
    case 'LINK_CODE_INVALID':
      return 'This code has a typo. Compare it with the code on the new device and type it again (dashes and spaces are optional).';
    case 'LINK_SESSION_NOT_FOUND':
      return side === 'signed-in'
        ? 'No new device of yours is waiting with this code. It may have expired (codes last 10 minutes) or been cancelled: start again on the new device.'
        : 'This code has expired (codes last 10 minutes) or was cancelled. Start again for a new code.';
    case 'LINK_TIMEOUT':
      return 'The other device did not answer in time, so nothing was shared. Start again.';
    case 'LINK_ABORTED':
      return side === 'new'
        ? 'Your other device cancelled linking, so nothing was shared. Start again if you want to link this browser.'
        : 'The new device cancelled linking, so nothing was shared.';
    default:
      return actionErrorText(error);
  }
}

/**
 * A sentence for a failed restore from the key backup, opened with a recovery key or a passphrase.
 */
export function restoreErrorText(error: unknown, username: string): string {
  if (!isCodedError(error)) return signInErrorText(error, username);
  switch (error.code) {
    case 'RECOVERY_KEY_WRONG':
      return `${error.message} Nothing on your account was changed.`;
    case 'BACKUP_NOT_FOUND':
      return 'This account has no key backup to restore from. Link this browser from a device where you are signed in instead.';
    default:
      return signInErrorText(error, username);
  }
}

/**
 * A sentence for a failed action on the main page: every code the server or the SDK may raise has
 * its case.
 */
export function actionErrorText(error: unknown): string {
  if (!isCodedError(error))
    return error instanceof Error ? error.message : 'Something went wrong. Try again.';
  const code = error.code as RchatErrorCode;
  switch (code) {
    case 'NETWORK':
      return 'The server cannot be reached. Check your connection and try again.';
    case 'TIMEOUT':
      return 'The server took too long to answer. Check your connection and try again.';
    case 'BAD_RESPONSE':
      return 'The server gave an answer this page does not understand. Reload the page; if it happens again, tell the operator of this server.';
    case 'RATE_LIMITED':
      return `Too many attempts. Wait ${error.retryAfterSeconds ?? 'a few'} seconds and try again.`;
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return 'The server had a problem. Try again in a moment.';
    case 'PAYLOAD_TOO_LARGE':
      return 'This is too large for the server. Make it shorter and try again.';
    case 'USER_NOT_FOUND':
      return 'No user has this username. Check the spelling or pick a name from the suggestions.';
    case 'CANNOT_CONVERSE_WITH_SELF':
      return 'That is you. Choose another user to start a conversation.';
    case 'PEER_DELETED':
      return 'The other person deleted their account, so messages can no longer be sent to this conversation.';
    case 'OUTBOX_FULL':
      return 'Not sent: this browser already holds 1,000 unsent messages. Wait until they are sent (check your connection), then try again.';
    case 'EPOCH_CONFLICT':
      return 'The conversation keys changed several times in a row while this was being done. Try again in a moment.';
    case 'IDENTITY_CHANGED':
      return 'Not sent: the encryption identity of someone in this conversation changed. Compare safety numbers, then choose Accept above the messages.';
    // The server's and the SDK's own sentences say what to do for these.
    case 'VALIDATION_FAILED':
    case 'MALFORMED_JSON':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'WRONG_PASSWORD':
    case 'INVALID_REFRESH_TOKEN':
    case 'REFRESH_TOKEN_REUSED':
    case 'USERNAME_TAKEN':
    case 'WEAK_PASSWORD':
    case 'REGISTRATION_CLOSED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'DEVICE_NOT_FOUND':
    case 'DEVICE_REVOKED':
    case 'LINK_SESSION_NOT_FOUND':
    case 'LINK_SESSION_FULL':
    case 'BACKUP_NOT_FOUND':
    case 'CONVERSATION_NOT_FOUND':
    case 'TXN_ID_REUSED':
    case 'IDENTITY_KEY_CONFLICT':
    case 'IDENTITY_KEY_MISSING':
    case 'INVALID_CERTIFICATE':
    case 'IDENTITY_RESET':
    case 'DEVICE_PROOF_REQUIRED':
    case 'DEVICE_NOT_CERTIFIED':
    case 'CERTIFICATE_MISSING':
    case 'TOO_MANY_KEY_PACKAGES':
    case 'TOO_MANY_DEVICES':
    case 'TOO_MANY_STREAMS':
    case 'BACKUP_FULL':
    case 'NEW_DEVICE':
    case 'E2EE_NOT_READY':
    case 'PEER_HAS_NO_KEYS':
    case 'LINK_CODE_INVALID':
    case 'LINK_ABORTED':
    case 'LINK_TIMEOUT':
    case 'RECOVERY_KEY_WRONG':
    case 'MEMBERSHIP_REFUSED':
      return error.message;
    default:
      return unknownCode(code, error.message);
  }
}

/**
 * Ends the switch above: a code added to the catalogue is a type error until it has its case; at
 * run time, a code from a newer server shows its message.
 */
function unknownCode(_code: never, message: string): string {
  return message;
}

/** A sentence for a failed password change, sign-out of other devices or account deletion. */
export function accountErrorText(error: unknown): string {
  if (!isCodedError(error)) return actionErrorText(error);
  switch (error.code) {
    case 'WRONG_PASSWORD':
      return 'The current password is wrong. Nothing was changed.';
    case 'WEAK_PASSWORD':
      return `The new password is too weak: ${error.message} Choose a longer or less common one.`;
    case 'DEVICE_NOT_CERTIFIED':
      return 'This browser is not yet confirmed by your account’s keys, so it cannot change the account. Use a device where you are fully signed in.';
    default:
      return actionErrorText(error);
  }
}

/** Errors after which this browser's session cannot go on: the person must log in again. */
export function endsSession(error: unknown): boolean {
  return (
    isCodedError(error) &&
    [
      'UNAUTHENTICATED',
      'INVALID_REFRESH_TOKEN',
      'REFRESH_TOKEN_REUSED',
      'DEVICE_REVOKED',
      'IDENTITY_RESET',
    ].includes(error.code)
  );
}
