import { randomBytes } from 'node:crypto';
import type { InboxEntry } from '@rchat/protocol';
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

export async function registerUser(baseUrl: string, prefix = 'user', device = 'test device'): Promise<TestUser> {
  const api = new RchatApi({ baseUrl });
  const username = uniqueName(prefix);
  const s = await api.register({ username, password: PASSWORD, device: { name: device } });
  return { api, id: s.user.id, username, deviceId: s.deviceId };
}

/** Signs an existing user in as another device. */
export async function loginDevice(baseUrl: string, username: string, device: string): Promise<TestUser> {
  const api = new RchatApi({ baseUrl });
  const s = await api.login({ username, password: PASSWORD, device: { name: device } });
  return { api, id: s.user.id, username, deviceId: s.deviceId };
}

/** Opens a device's event stream and records every entry it receives. */
export function listen(user: TestUser, since?: number): { stream: EventStream; entries: InboxEntry[]; ready: Promise<number> } {
  const entries: InboxEntry[] = [];
  let resolveReady: (n: number) => void = () => {};
  const ready = new Promise<number>((r) => (resolveReady = r));
  const stream = user.api.events({ ...(since !== undefined ? { since } : {}), onEntry: (e) => entries.push(e), onReady: (n) => resolveReady(n) });
  return { stream, entries, ready };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');
export const unb64 = (s: string) => Buffer.from(s, 'base64').toString();
