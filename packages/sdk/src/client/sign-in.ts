import {
  generateIdentityKeyPair,
  signDeviceLogin,
  toBase64,
  type DeviceKeys,
  type IdentityKeyPair,
  type SecretStorageUnlock,
} from '@rchat/crypto';
import type { SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import { AccountStore, type RecoverySecrets } from './account-store.ts';
import { createRecovery, openRecovery } from './account-recovery.ts';
import { deviceNameOf, newApi, type RchatClientOptions } from './client-options.ts';
import type { ClientContext } from './context.ts';
import { createClientContext } from './create-context.ts';
import { offerLink, sendReady, type NewDeviceLink } from './device-link.ts';
import { setUpFirstDevice } from './device-setup.ts';
import {
  becomeDevice,
  discardDevice,
  importHistory,
  signInWithoutKeys,
  type SignedInWithoutKeys,
} from './new-device.ts';

// The ways a device becomes a signed-in client (the static factories of `RchatClient`, documented
// there).

/** What a sign-in hands to the client it makes. */
export interface SignedIn {
  ctx: ClientContext;
  /** The recovery key just made (registration, identity reset), to show once; else null. */
  recoveryKey: string | null;
  /** Problems found while importing the message backup. */
  backupWarnings: string[];
}

/** Makes the client object around a signed-in device (the client's constructor). */
export type MakeClient<C> = (signedIn: SignedIn) => C;

export async function register<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
  extra: { inviteCode?: string },
): Promise<C> {
  let account: AccountStore | null = null;
  const api = newApi(options, undefined, (s) => void account?.saveSession(s));
  const session = await api.register({
    username,
    password,
    device: { name: deviceNameOf(options) },
    ...(extra.inviteCode ? { inviteCode: extra.inviteCode } : {}),
  });
  account = new AccountStore(options.storage, session.user.id);
  await account.saveSession(session);
  const { identity, device } = await setUpFirstDevice(api, account, {
    userId: session.user.id,
    deviceId: session.deviceId,
  });
  const recoveryKey = await createRecovery(api, account, identity);
  await account.saveCursor(0);
  await AccountStore.remember(options.storage, {
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.deviceId,
  });
  return build(make, options, api, account, session, identity, device, { recoveryKey });
}

export async function startLink<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
): Promise<NewDeviceLink<C>> {
  const signedIn = await signInWithoutKeys(options, username, password);
  try {
    return await offerLink(
      signedIn.api,
      signedIn.session,
      deviceNameOf(options),
      async (keys, channel, sessionId) => {
        const client = await fromNewDevice(make, options, signedIn, keys.identity, keys.recovery);
        await sendReady(signedIn.api, sessionId, channel, signedIn.session.deviceId);
        return client;
      },
      () => discardDevice(signedIn),
    );
  } catch (err) {
    await discardDevice(signedIn);
    throw err;
  }
}

export async function restoreFromRecoveryKey<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
  unlock: SecretStorageUnlock,
): Promise<C> {
  const signedIn = await signInWithoutKeys(options, username, password);
  const opened = await openRecovery(signedIn.api, signedIn.session.user.id, unlock).catch(
    async (err: unknown) => {
      await discardDevice(signedIn);
      throw err;
    },
  );
  const client = await fromNewDevice(make, options, signedIn, opened.identity, opened.recovery);
  for (const c of await signedIn.api.conversations()) await signedIn.api.requestJoin(c.id);
  return client;
}

export async function resetIdentity<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
): Promise<C> {
  const signedIn = await signInWithoutKeys(options, username, password);
  try {
    const identity = generateIdentityKeyPair();
    await signedIn.api.resetIdentity({
      identityKey: toBase64(identity.publicKey),
      password,
      confirm: 'reset my encryption identity',
    });
    const device = await becomeDevice(options, signedIn, identity, undefined);
    const recoveryKey = await createRecovery(signedIn.api, signedIn.account, identity);
    const client = await build(
      make,
      options,
      signedIn.api,
      signedIn.account,
      signedIn.session,
      identity,
      device,
      { recoveryKey },
    );
    // Contacts' devices see these and find the changed identity; they add this device only once
    // their person accepts it.
    for (const c of await signedIn.api.conversations())
      await signedIn.api.requestJoin(c.id).catch(() => undefined);
    return client;
  } catch (err) {
    await discardDevice(signedIn);
    throw err;
  }
}

export async function login<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
): Promise<C> {
  const known = await AccountStore.byUsername(options.storage, username.toLowerCase());
  const stored = known ? new AccountStore(options.storage, known.userId) : null;
  const keys = stored ? { identity: await stored.identity(), device: await stored.device() } : null;
  let account: AccountStore | null = null;
  const api = newApi(options, undefined, (s) => void account?.saveSession(s));
  const name = deviceNameOf(options);
  const session =
    known && keys?.device
      ? await api.login({
          username,
          password,
          device: { name, id: known.deviceId, proof: await deviceProof(api, keys.device) },
        })
      : await api.login({ username, password, device: { name } });
  account = new AccountStore(options.storage, session.user.id);
  const [identity, device] = [await account.identity(), await account.device()];
  if (!known || !identity || !device || known.deviceId !== session.deviceId) {
    // Leave no half-set-up device behind on the account.
    await api.removeDevice(session.deviceId).catch(() => undefined);
    throw new RchatError(
      'NEW_DEVICE',
      'This device has no keys for this account yet: it is a new device. Link it from a device where you are signed in, or restore it from your recovery key.',
      0,
    );
  }
  await account.saveSession(session);
  await AccountStore.remember(options.storage, {
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.deviceId,
  });
  return build(make, options, api, account, session, identity, device);
}

export async function loginWithIdentity<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  username: string,
  password: string,
  identity: IdentityKeyPair,
): Promise<C> {
  const signedIn = await signInWithoutKeys(options, username, password);
  const device = await becomeDevice(options, signedIn, identity, undefined);
  return build(make, options, signedIn.api, signedIn.account, signedIn.session, identity, device);
}

export async function restore<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
): Promise<C | null> {
  const ref = await AccountStore.current(options.storage);
  if (!ref) return null;
  const account = new AccountStore(options.storage, ref.userId);
  const [session, identity, device] = [
    await account.session(),
    await account.identity(),
    await account.device(),
  ];
  if (!session || !identity || !device) return null;
  const api = newApi(options, session, (s) => void account.saveSession(s));
  return build(make, options, api, account, session, identity, device);
}

/**
 * A signed-in device without keys becomes a full device of the account, with the history from the
 * backup.
 */
async function fromNewDevice<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  signedIn: SignedInWithoutKeys,
  identity: IdentityKeyPair,
  recovery: RecoverySecrets | undefined,
): Promise<C> {
  const device = await becomeDevice(options, signedIn, identity, recovery);
  const ctx = await createClientContext(
    options,
    signedIn.api,
    signedIn.account,
    signedIn.session,
    identity,
    device,
  );
  const backupWarnings = recovery ? await importHistory(ctx, recovery) : [];
  return make({ ctx, recoveryKey: null, backupWarnings });
}

async function build<C>(
  make: MakeClient<C>,
  options: RchatClientOptions,
  api: RchatApi,
  account: AccountStore,
  session: SessionResponse,
  identity: IdentityKeyPair,
  device: DeviceKeys,
  extra: { recoveryKey?: string } = {},
): Promise<C> {
  const ctx = await createClientContext(options, api, account, session, identity, device);
  return make({ ctx, recoveryKey: extra.recoveryKey ?? null, backupWarnings: [] });
}

/**
 * Proof that this storage holds the device's key: its signature over a fresh challenge from the
 * server.
 */
async function deviceProof(
  api: RchatApi,
  device: DeviceKeys,
): Promise<{ challenge: string; signature: string }> {
  const { challenge } = await api.loginChallenge();
  return { challenge, signature: toBase64(await signDeviceLogin(device, challenge)) };
}
