import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import { rejection } from '../support/rejection.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import { PASSWORD, loginDevice, registerUser, uniqueName } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

describe('accounts and sessions', () => {
  it('registers with a username and password only, and logs in as another device', async () => {
    const api = new RchatApi({ baseUrl: platform.url });
    const name = uniqueName('Reg');
    const s = await api.register({
      username: name,
      password: PASSWORD,
      device: { name: 'laptop' },
    });
    expect(s.user.username).toBe(name.toLowerCase());
    expect(Object.keys(s.user).sort()).toEqual(['createdAt', 'id', 'username']);

    const phone = new RchatApi({ baseUrl: platform.url });
    const s2 = await phone.login({
      username: name.toUpperCase(),
      password: PASSWORD,
      device: { name: 'phone' },
    });
    expect(s2.user.id).toBe(s.user.id);
    expect(s2.deviceId).not.toBe(s.deviceId);
    const devices = await phone.devices();
    expect(devices.map((d) => d.name).sort()).toEqual(['laptop', 'phone']);
    expect(devices.find((d) => d.current)?.id).toBe(s2.deviceId);
  });

  it('gives a username to one of several people registering it at once, and writes nothing for the others', async () => {
    const name = uniqueName('race');
    const devices = ['one', 'two', 'three', 'four'];
    const apis = devices.map(() => new RchatApi({ baseUrl: platform.url }));
    const attempts = await Promise.allSettled(
      apis.map((api, i) =>
        api.register({
          username: name,
          password: `${PASSWORD}-${devices[i]}`,
          device: { name: devices[i] ?? '' },
        }),
      ),
    );
    const winner = attempts.findIndex((a) => a.status === 'fulfilled');
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const a of attempts)
      if (a.status === 'rejected')
        expect(a.reason).toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
    // Only the winner's device exists, and only the winner's password opens the account.
    expect((await apis[winner]?.devices())?.map((d) => d.name)).toEqual([devices[winner]]);
    for (const [i, device] of devices.entries()) {
      const login = new RchatApi({ baseUrl: platform.url }).login({
        username: name,
        password: `${PASSWORD}-${device}`,
        device: { name: 'check' },
      });
      if (i === winner) expect((await login).user.username).toBe(name);
      else expect((await rejection(login)).code).toBe('INVALID_CREDENTIALS');
    }

    // A device id already in use is refused, and the username stays free.
    const other = uniqueName('devid');
    const taken = attempts[winner]?.status === 'fulfilled' ? attempts[winner].value.deviceId : '';
    const refused = await rejection(
      new RchatApi({ baseUrl: platform.url }).register({
        username: other,
        password: PASSWORD,
        device: { id: taken, name: 'dup' },
      }),
    );
    expect([refused.status, refused.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(
      (
        await new RchatApi({ baseUrl: platform.url }).register({
          username: other,
          password: PASSWORD,
          device: { name: 'ok' },
        })
      ).user.username,
    ).toBe(other);
  });

  it('rejects a wrong password without revealing whether the user exists', async () => {
    const u = await registerUser(platform.url, 'pw');
    const api = new RchatApi({ baseUrl: platform.url });
    const wrong = await rejection(
      api.login({ username: u.username, password: 'not the password', device: { name: 'x' } }),
    );
    const ghost = await rejection(
      api.login({ username: uniqueName('ghost'), password: PASSWORD, device: { name: 'x' } }),
    );
    expect([wrong.status, wrong.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect([ghost.status, ghost.code, ghost.message]).toEqual([
      401,
      'INVALID_CREDENTIALS',
      wrong.message,
    ]);
  });

  it('rotates refresh tokens, and a reused one revokes the whole session', async () => {
    const u = await registerUser(platform.url, 'rot');
    const first = u.api.session?.refreshToken ?? '';
    await u.api.refresh();
    const second = u.api.session?.refreshToken ?? '';
    expect(second).not.toBe(first);
    expect(await u.api.conversations()).toEqual([]);

    const attacker = new RchatApi({ baseUrl: platform.url });
    const reused = await rejection(
      attacker.request('POST /auth/refresh', { body: { refreshToken: first }, auth: false }),
    );
    expect([reused.status, reused.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    // The legitimate holder's newer token is revoked too.
    const after = await rejection(
      u.api.request('POST /auth/refresh', { body: { refreshToken: second }, auth: false }),
    );
    expect(after.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('logout ends the session, its unexpired access token included; other sessions of the account go on', async () => {
    const u = await registerUser(platform.url, 'out');
    const other = await loginDevice(platform.url, u.username, 'other');
    const token = u.api.session?.refreshToken ?? '';
    const access = u.api.session?.accessToken ?? '';
    await u.api.logout();
    const e = await rejection(
      new RchatApi({ baseUrl: platform.url }).request('POST /auth/refresh', {
        body: { refreshToken: token },
        auth: false,
      }),
    );
    expect(e.code).toBe('INVALID_REFRESH_TOKEN');
    const res = await fetch(`${platform.url}/conversations`, {
      headers: { authorization: `Bearer ${access}` },
    });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect((await other.api.devices()).length).toBe(2);
  });

  it('finds users by username prefix, page by page', async () => {
    const prefix = uniqueName('srch');
    const names = ['a1', 'a2', 'a3', 'b1'].map((x) => `${prefix}_${x}`);
    for (const n of names)
      await new RchatApi({ baseUrl: platform.url }).register({
        username: n,
        password: PASSWORD,
        device: { name: 'd' },
      });
    const me = await registerUser(platform.url, 'finder');
    const p1 = await me.api.searchUsers(`${prefix}_a`, { limit: 2 });
    expect(p1.users.map((u) => u.username)).toEqual(names.slice(0, 2));
    const p2 = await me.api.searchUsers(`${prefix}_a`, { limit: 2, after: p1.next ?? '' });
    expect(p2.users.map((u) => u.username)).toEqual([names[2]]);
    expect(p2.next).toBeNull();
    // LIKE wildcards in the query are literal characters.
    expect((await me.api.searchUsers(`${prefix.slice(0, 4)}%`)).users).toEqual([]);
  });

  it('publishes the operator policy and the token keys', async () => {
    const policy = await new RchatApi({ baseUrl: platform.url }).wellKnown();
    expect(policy).toMatchObject({
      apiVersion: 1,
      registration: 'open',
      cipherSuites: [1],
      maxCiphertextBytes: 65536,
    });
    const jwks = (await (await fetch(`${platform.url}/.well-known/jwks.json`)).json()) as {
      keys: { kty: string; crv: string; d?: string }[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(
      jwks.keys.every((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.d === undefined),
    ).toBe(true);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the configured login rate', async () => {
    const limited = await startPlatform({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '3' } });
    try {
      const api = new RchatApi({ baseUrl: limited.url });
      const codes: string[] = [];
      let retryAfter: number | undefined;
      for (let i = 0; i < 4; i++) {
        const e = await rejection(
          api.login({ username: 'nobody_here', password: PASSWORD, device: { name: 'x' } }),
        );
        codes.push(e.code);
        retryAfter ??= e.retryAfterSeconds;
      }
      expect(codes).toEqual([
        'INVALID_CREDENTIALS',
        'INVALID_CREDENTIALS',
        'INVALID_CREDENTIALS',
        'RATE_LIMITED',
      ]);
      expect(retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
