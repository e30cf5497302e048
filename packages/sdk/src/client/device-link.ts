import type { IdentityKeyPair } from '@rchat/crypto';
import type { RecoverySecrets } from './account-store.ts';

/**
 * The new device's side of linking: show `code` (and `qrText` as a QR code);
 * once a signed-in device typed it, show the check code and ask the person
 * whether the signed-in device shows the same one: `confirmCheckCode()` if
 * it does, `reject()` if not. `complete()` gives the signed-in client.
 *
 * Linking confirms on both ends: until this device's person has confirmed,
 * the signed-in device sends nothing, and this device accepts nothing (keys
 * sealed before its confirmation are dropped, not used).
 */
export interface NewDeviceLink<Client = unknown> {
  readonly code: string;
  readonly qrText: string;
  readonly expiresAt: string;
  /** Resolves with the check code once a signed-in device typed the code. */
  waitForCheckCode(signal?: AbortSignal): Promise<string>;
  /**
   * The person saw the same check code on both devices: tells the signed-in
   * device so, sealed over the link channel. Only after this may keys be
   * accepted. Call it after `waitForCheckCode()`; calling it again does nothing more.
   */
  confirmCheckCode(): Promise<void>;
  /**
   * The person saw different check codes (someone else may have answered
   * this device): tells the other device to stop and takes this device off
   * the account, as `cancel()` does. `complete()` then fails with `LINK_ABORTED`.
   */
  reject(): Promise<void>;
  /**
   * Resolves with the signed-in client once this device's person confirmed
   * (`confirmCheckCode()`) and the signed-in device then sent the keys. It may
   * be called earlier (to hear of the other side's cancel while the person
   * compares): it waits for the confirmation. Fails with `LINK_ABORTED` when
   * either side cancels or rejects, `LINK_TIMEOUT` when the other side is
   * silent; a link that failed has already taken this device off the account.
   */
  complete(signal?: AbortSignal): Promise<Client>;
  /**
   * Stops linking (the person left): tells the other device, and takes this device off the account.
   */
  cancel(): Promise<void>;
}

/**
 * The signed-in device's side, after the code was typed: compare `checkCode`,
 * then `confirm()` or `abort()`.
 */
export interface ExistingDeviceLink {
  readonly checkCode: string;
  readonly deviceName: string;
  readonly deviceId: string;
  /**
   * This device's person saw the same check code on both devices. Waits (up
   * to the step timeout) until the new device's person has confirmed too,
   * calls `onNewDeviceConfirmed`, and only then sends the account keys,
   * sealed; once the new device is set up, adds it to every conversation.
   * Fails with `LINK_ABORTED` if the new device rejects or cancels (nothing
   * was sent), or if `abort()` is called meanwhile.
   */
  confirm(options?: {
    onNewDeviceConfirmed?: () => void;
  }): Promise<{ deviceId: string; conversations: number }>;
  /**
   * The check codes differ (or the person changed their mind): tells the new device to stop;
   * nothing is sent.
   */
  abort(): Promise<void>;
}

/** What the new device ends up with: the account keys it was sent. */
export interface ReceivedKeys {
  identity: IdentityKeyPair;
  recovery: RecoverySecrets | undefined;
}

// The two sides live in their own files; the client imports them from here.
export { answerLink } from './answer-link.ts';
export { offerLink, sendReady } from './offer-link.ts';
