import type { DeviceKeys, IdentityKeyPair } from '@rchat/crypto';
import type { SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { AccountStore, type RecoverySecrets } from './account-store.ts';
import { deviceNameOf, newApi, type RchatClientOptions } from './client-options.ts';
import type { ClientContext } from './context.ts';
import { setUpAdditionalDevice } from './device-setup.ts';
import { importBackup } from './message-backup.ts';

/** A device signed in with the password that has no keys yet (while linking or restoring). */
export interface SignedInWithoutKeys {
  api: RchatApi;
  account: AccountStore;
  session: SessionResponse;
}

export async function signInWithoutKeys(
  options: RchatClientOptions,
  username: string,
  password: string,
): Promise<SignedInWithoutKeys> {
  let account: AccountStore | null = null;
  const api = newApi(options, undefined, (s) => void account?.saveSession(s));
  const session = await api.login({ username, password, device: { name: deviceNameOf(options) } });
  account = new AccountStore(options.storage, session.user.id);
  await account.saveSession(session);
  return { api, account, session };
}

/** Leaves no half-set-up device behind on the account (linking cancelled, wrong recovery key). */
export async function discardDevice({ api, account, session }: SignedInWithoutKeys): Promise<void> {
  await api.removeDevice(session.deviceId).catch(() => undefined);
  await account.saveSession(null);
}

/**
 * The device becomes a full device of the account, given the identity key
 * (and the backup secrets): certifies its device key, publishes KeyPackages,
 * starts at the account's current inbox position.
 */
export async function becomeDevice(
  options: RchatClientOptions,
  { api, account, session }: SignedInWithoutKeys,
  identity: IdentityKeyPair,
  recovery: RecoverySecrets | undefined,
): Promise<DeviceKeys> {
  const device = await setUpAdditionalDevice(
    api,
    account,
    { userId: session.user.id, deviceId: session.deviceId },
    identity,
  );
  if (recovery) await account.saveRecoverySecrets(recovery);
  await account.saveCursor((await api.inbox(Number.MAX_SAFE_INTEGER, 1)).headSeq);
  await AccountStore.remember(options.storage, {
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.deviceId,
  });
  return device;
}

/**
 * Brings the history from before this device existed in from the message backup; returns warnings
 * (entries rejected by signature).
 */
export async function importHistory(
  ctx: ClientContext,
  recovery: RecoverySecrets,
): Promise<string[]> {
  const result = await importBackup({
    api: ctx.api,
    userId: ctx.userId,
    identityPublicKey: ctx.identity.publicKey,
    backupSeed: recovery.backupSeed,
    messages: ctx.messages,
  });
  if (result.rejected === 0) return [];
  return [
    `${result.rejected} message backup ${result.rejected === 1 ? 'entry was' : 'entries were'} rejected: not signed by your identity key (altered or forged).`,
  ];
}
