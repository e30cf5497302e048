import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import { rejection } from '../support/rejection.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import { certify, listen, loginDevice, registerUser } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

describe('removing a device', () => {
  it('ends its stream, refuses its tokens everywhere, ends its sessions and lists it no more', async () => {
    const bob = await registerUser(platform.url, 'bob', 'laptop');
    const phone = await loginDevice(platform.url, bob.username, 'phone');
    const phoneStream = listen(phone);
    await phoneStream.ready;
    let bye = '';
    const raw = await fetch(`${platform.url}/events`, {
      headers: { authorization: `Bearer ${phone.api.session?.accessToken ?? ''}` },
    });
    const reading = (async () => {
      const reader = raw.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        bye += new TextDecoder().decode(chunk.value);
      }
    })();

    // Only a device the identity key certified may remove another one: a password alone cannot sign
    // the real devices out.
    expect((await rejection(phone.api.removeDevice(bob.deviceId))).code).toBe(
      'DEVICE_NOT_CERTIFIED',
    );
    await certify(bob);
    expect(
      (await rejection(bob.api.removeDevice('00000000-0000-4000-8000-000000000000'))).code,
    ).toBe('DEVICE_NOT_FOUND');
    const stranger = await registerUser(platform.url, 'eve');
    await certify(stranger);
    expect((await rejection(stranger.api.removeDevice(phone.deviceId))).code).toBe(
      'DEVICE_NOT_FOUND',
    );

    await bob.api.removeDevice(phone.deviceId);
    await reading;
    expect(bye).toContain('"reason":"device-removed"');
    phoneStream.stream.close();

    // Its still-unexpired access token is refused by every service.
    const token = phone.api.session?.accessToken ?? '';
    for (const path of ['/conversations', '/devices', '/events']) {
      const res = await fetch(`${platform.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { error: { code: string } };
      expect([path, res.status, body.error.code]).toEqual([path, 401, 'DEVICE_REVOKED']);
    }
    // Its refresh token no longer works.
    const refresh = await rejection(
      new RchatApi({ baseUrl: platform.url }).request('POST /auth/refresh', {
        body: { refreshToken: phone.api.session?.refreshToken ?? '' },
        auth: false,
      }),
    );
    expect(refresh.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await bob.api.devices()).map((d) => d.name)).toEqual(['laptop']);
    expect((await rejection(bob.api.removeDevice(phone.deviceId))).code).toBe('DEVICE_NOT_FOUND');
  });
});
