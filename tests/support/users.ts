import { randomBytes } from 'node:crypto';
import type { InboxEntry } from '@rchat/protocol';
import {
  createDeviceKeys,
  deviceCertificateToBase64,
  generateIdentityKeyPair,
  toBase64,
  type DeviceKeys,
  type IdentityKeyPair,
} from '@rchat/crypto';
import { RchatApi, type EventStream } from '@rchat/sdk';

export const PASSWORD = 'correct horse battery staple';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface TestUser {
  api: RchatApi;
  id: string;
  username: string;
  deviceId: string;
}

export async function registerUser(
  baseUrl: string,
  prefix = 'user',
  device = 'test device',
): Promise<TestUser> {
  const api = new RchatApi({ baseUrl });
  const username = uniqueName(prefix);
  const s = await api.register({ username, password: PASSWORD, device: { name: device } });
  return { api, id: s.user.id, username, deviceId: s.deviceId };
}

/** Signs an existing user in as another device. */
export async function loginDevice(
  baseUrl: string,
  username: string,
  device: string,
): Promise<TestUser> {
  const api = new RchatApi({ baseUrl });
  const s = await api.login({ username, password: PASSWORD, device: { name: device } });
  return { api, id: s.user.id, username, deviceId: s.deviceId };
}

/**
 * Makes a raw API device a certified device of its account (identity key set
 * if the account has none yet, device certificate uploaded): what the SDK does
 * at registration, for tests that call the API directly.
 */
export async function certify(
  user: TestUser,
  identity: IdentityKeyPair = generateIdentityKeyPair(),
): Promise<{ identity: IdentityKeyPair; device: DeviceKeys }> {
  await user.api.setIdentityKey(toBase64(identity.publicKey));
  const device = await createDeviceKeys(identity, {
    userId: user.id,
    deviceId: user.deviceId,
    cipherSuite: 1,
    expiresAt: Date.now() + 365 * 86_400_000,
  });
  await user.api.setDeviceCertificate(deviceCertificateToBase64(device.certificate));
  return { identity, device };
}

/** Opens a device's event stream and records every entry it receives. */
export function listen(
  user: TestUser,
  since?: number,
): { stream: EventStream; entries: InboxEntry[]; ready: Promise<number> } {
  const entries: InboxEntry[] = [];
  let resolveReady: (n: number) => void = () => {};
  const ready = new Promise<number>((r) => (resolveReady = r));
  const stream = user.api.events({
    ...(since !== undefined ? { since } : {}),
    onEntry: (e) => entries.push(e),
    onReady: (n) => resolveReady(n),
  });
  return { stream, entries, ready };
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');
export const unb64 = (s: string) => Buffer.from(s, 'base64').toString();
