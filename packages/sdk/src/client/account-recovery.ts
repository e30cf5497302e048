import {
  addPassphrase,
  createSecretStorage,
  fromBase64,
  generateBackupSeed,
  generateRecoveryKey,
  openSecretStorage,
  passphraseProblem,
  toBase64,
  type IdentityKeyPair,
  type SecretStorageUnlock,
} from '@rchat/crypto';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import type { AccountStore, RecoverySecrets } from './account-store.ts';

/**
 * Sets up recovery for a new account: a backup seed, and secret storage on
 * the server holding the identity key and the seed, encrypted under a fresh
 * recovery key. Returns the recovery key: shown once, never stored.
 */
export async function createRecovery(
  api: RchatApi,
  account: AccountStore,
  identity: IdentityKeyPair,
): Promise<string> {
  const recoveryKey = generateRecoveryKey();
  const backupSeed = generateBackupSeed();
  const { blob, masterKey } = await createSecretStorage(
    account.userId,
    { identity, backupSeed },
    recoveryKey,
  );
  await account.saveRecoverySecrets({ backupSeed, masterKey });
  await api.putSecretStorage(toBase64(blob));
  return recoveryKey;
}

/**
 * Lets the passphrase open secret storage too (argon2id-stretched, 64 MiB, 3 passes: a few
 * seconds), replacing an earlier passphrase.
 */
export async function setPassphrase(
  api: RchatApi,
  account: AccountStore,
  passphrase: string,
): Promise<void> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new RchatError('VALIDATION_FAILED', problem, 0);
  const secrets = await account.recoverySecrets();
  if (!secrets)
    throw new RchatError(
      'BACKUP_NOT_FOUND',
      'This device has no access to the account’s key backup.',
      0,
    );
  const current = fromBase64((await api.secretStorage()).ciphertext) ?? new Uint8Array();
  let blob: Uint8Array;
  try {
    blob = await addPassphrase(account.userId, current, secrets.masterKey, passphrase);
  } catch (err) {
    throw new RchatError('VALIDATION_FAILED', err instanceof Error ? err.message : String(err), 0);
  }
  await api.putSecretStorage(toBase64(blob));
}

/**
 * Opens the account's secret storage with the recovery key or passphrase; RECOVERY_KEY_WRONG when
 * it does not open.
 */
export async function openRecovery(
  api: RchatApi,
  userId: string,
  unlock: SecretStorageUnlock,
): Promise<{ identity: IdentityKeyPair; recovery: RecoverySecrets }> {
  const stored = fromBase64((await api.secretStorage()).ciphertext) ?? new Uint8Array();
  const opened = await openSecretStorage(userId, stored, unlock);
  if (opened.kind === 'wrong-secret') throw new RchatError('RECOVERY_KEY_WRONG', opened.message, 0);
  if (opened.kind === 'malformed')
    throw new RchatError(
      'RECOVERY_KEY_WRONG',
      `The key backup cannot be opened: ${opened.message}`,
      0,
    );
  return {
    identity: opened.secrets.identity,
    recovery: { backupSeed: opened.secrets.backupSeed, masterKey: opened.masterKey },
  };
}
