import {
  chooseCipherSuite,
  createDeviceKeys,
  deviceCertificateToBase64,
  generateIdentityKeyPair,
  generateKeyPackage,
  toBase64,
  type DeviceKeys,
  type IdentityKeyPair,
} from '@rchat/crypto';
import type { RchatApi } from '../api.ts';
import type { AccountStore } from './account-store.ts';

/** One-time KeyPackages a device keeps published; it tops up when fewer than half remain. */
export const KEY_PACKAGE_TARGET = 20;
const CERTIFICATE_LIFETIME_MS = 365 * 86_400_000;

/**
 * First-time setup of a new account's first device: an identity key, a device
 * key certified by it, and KeyPackages so others can start conversations while
 * this device is offline. Private keys are sealed in storage before anything
 * public is uploaded.
 */
export async function setUpFirstDevice(
  api: RchatApi,
  account: AccountStore,
  ids: { userId: string; deviceId: string },
): Promise<{ identity: IdentityKeyPair; device: DeviceKeys }> {
  const policy = await api.wellKnown();
  const suite = chooseCipherSuite(policy.cipherSuites);
  if (suite.kind !== 'ok') throw new Error(suite.message);
  const identity = generateIdentityKeyPair();
  const device = await createDeviceKeys(identity, {
    ...ids,
    cipherSuite: suite.suite,
    expiresAt: Date.now() + CERTIFICATE_LIFETIME_MS,
  });
  await account.saveIdentity(identity);
  await account.saveDevice(device);
  await api.setIdentityKey(toBase64(identity.publicKey));
  await api.setDeviceCertificate(deviceCertificateToBase64(device.certificate));
  await publishKeyPackages(api, account, device, KEY_PACKAGE_TARGET, true);
  return { identity, device };
}

/**
 * Sets up another device of an existing account, given the account's identity
 * key (from a linked device or a recovery key): certifies this device's key
 * and publishes its KeyPackages. The identity key must be the one the account
 * already has in the directory.
 */
export async function setUpAdditionalDevice(
  api: RchatApi,
  account: AccountStore,
  ids: { userId: string; deviceId: string },
  identity: IdentityKeyPair,
): Promise<DeviceKeys> {
  const published = await api.userKeys(ids.userId);
  if (published.identityKey !== toBase64(identity.publicKey))
    throw new Error("This identity key is not the account's identity key.");
  const policy = await api.wellKnown();
  const suite = chooseCipherSuite(policy.cipherSuites);
  if (suite.kind !== 'ok') throw new Error(suite.message);
  const device = await createDeviceKeys(identity, {
    ...ids,
    cipherSuite: suite.suite,
    expiresAt: Date.now() + CERTIFICATE_LIFETIME_MS,
  });
  await account.saveIdentity(identity);
  await account.saveDevice(device);
  await api.setDeviceCertificate(deviceCertificateToBase64(device.certificate));
  await publishKeyPackages(api, account, device, KEY_PACKAGE_TARGET, true);
  return device;
}

export async function publishKeyPackages(
  api: RchatApi,
  account: AccountStore,
  device: DeviceKeys,
  count: number,
  withLastResort: boolean,
): Promise<void> {
  const bundles = [];
  for (let i = 0; i < count; i++) bundles.push(await generateKeyPackage(device));
  const lastResort = withLastResort
    ? await generateKeyPackage(device, { lastResort: true })
    : undefined;
  for (const b of [...bundles, ...(lastResort ? [lastResort] : [])])
    await account.saveKeyPackage(b);
  await api.uploadKeyPackages({
    keyPackages: bundles.map((b) => toBase64(b.keyPackage)),
    ...(lastResort ? { lastResort: toBase64(lastResort.keyPackage) } : {}),
  });
}

/** Tops the published one-time KeyPackages back up to the target when they run low. */
export async function replenishKeyPackages(
  api: RchatApi,
  account: AccountStore,
  device: DeviceKeys,
): Promise<void> {
  const count = await api.keyPackageCount();
  if (count.oneTime < KEY_PACKAGE_TARGET / 2 || !count.lastResort) {
    await publishKeyPackages(
      api,
      account,
      device,
      KEY_PACKAGE_TARGET - count.oneTime,
      !count.lastResort,
    );
  }
}
