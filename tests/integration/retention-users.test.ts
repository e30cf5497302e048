import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDeviceLogin, toBase64 } from '@rchat/crypto';
import { RchatApi } from '@rchat/sdk';
import { startPlatform, type Platform } from '../support/platform.ts';
import { certify, loginDevice, PASSWORD, registerUser } from '../support/users.ts';
import { rejection } from '../support/rejection.ts';

const DAY = 86_400_000;
let platform: Platform;
/** The services' clock runs this far ahead of real time; tests move it instead of waiting. */
let offsetMs = 0;
const advance = (days: number) => (offsetMs += days * DAY);

beforeAll(async () => {
  // Scheduled runs are off: the test runs the cleanup itself, at the moments it chooses.
  platform = await startPlatform({
    clock: () => new Date(Date.now() + offsetMs),
    env: {
      RETENTION_INTERVAL_SECONDS: '0',
      REFRESH_TOKEN_TTL_DAYS: '30',
      REFRESH_TOKEN_RETENTION_DAYS: '7',
      RETENTION_BATCH_SIZE: '2',
    },
  });
});
afterAll(async () => platform?.close());

const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
  platform.users.database.rows<T>(query);
const refreshWith = (refreshToken: string) =>
  new RchatApi({ baseUrl: platform.url }).request('POST /auth/refresh', {
    body: { refreshToken },
    auth: false,
  });
const tokenCount = async (userId: string) =>
  (
    await rows<{ n: number }>(
      sql`select count(*)::int as n from refresh_tokens where user_id = ${userId}`,
    )
  )[0]?.n;

describe('users retention', () => {
  it("deletes expired link sessions, login challenges, long-expired refresh tokens, removed devices' KeyPackages and retired signing keys; live data keeps working", async () => {
    // Day 0: garbage-to-be.
    const alice = await registerUser(platform.url, 'ret');
    const { identity } = await certify(alice);
    const rotated = alice.api.session?.refreshToken ?? '';
    await alice.api.refresh(); // `rotated` is used: a second use would be reuse
    const bob = await registerUser(platform.url, 'ret');
    const bobToken = bob.api.session?.refreshToken ?? '';
    await bob.api.logout(); // a revoked family
    const oldLink = await alice.api.openLinkSession();
    await alice.api.postLinkMessage(oldLink.id, toBase64(new Uint8Array([1, 2, 3])));
    await alice.api.loginChallenge();
    const removed = await loginDevice(platform.url, alice.username, 'removed');
    await certify(removed, identity);
    await removed.api.uploadKeyPackages({ keyPackages: [toBase64(new Uint8Array([9]))] });
    // A KeyPackage upload that committed just after its device was removed (removal itself deletes
    // them).
    await platform.users.database.rows(
      sql`update devices set revoked_at = now(), revoked_reason = 'device-removed' where id = ${removed.deviceId}`,
    );
    for (let i = 0; i < 4; i++) {
      await platform.users.database.rows(sql`insert into signing_keys (kid, public_jwk, private_jwk, created_at)
        values (${`retired-${i}-${alice.id}`}, '{}'::jsonb, '{"d":"x"}'::jsonb, now() - make_interval(days => ${400 + i}))`);
    }

    // Day 5: a session that expires on day 35, within the grace when the cleanup runs.
    advance(5);
    const carol = await registerUser(platform.url, 'ret');
    const carolToken = carol.api.session?.refreshToken ?? '';

    // Day 20: alice's session goes on; its tokens so far expire on day 30.
    advance(15);
    await alice.api.refresh();
    const aliceUsedRecently = alice.api.session?.refreshToken ?? '';
    await alice.api.refresh(); // used on day 20, expires on day 50: still recognised as reused

    // Day 38: live data, then the cleanup.
    advance(18);
    const phone = await loginDevice(platform.url, alice.username, 'phone');
    const liveLink = await alice.api.openLinkSession();
    const liveChallenge = await alice.api.loginChallenge();
    const report = await platform.users.retention.runOnce();

    expect(report).toMatchObject({
      'expired-link-sessions': 1,
      'expired-login-challenges': 1,
      'removed-devices-key-packages': 1,
    });
    // Five keys, of which the JWKS publishes the newest three: the two oldest go.
    expect(report['retired-signing-keys']).toBe(2);
    expect(await rows(sql`select id from link_sessions where user_id = ${alice.id}`)).toEqual([
      { id: liveLink.id },
    ]);
    expect(
      await rows(sql`select session_id from link_messages where session_id = ${oldLink.id}`),
    ).toEqual([]);
    expect(await rows(sql`select challenge from login_challenges`)).toEqual([
      { challenge: liveChallenge.challenge },
    ]);
    expect(
      await rows(sql`select id from key_packages where device_id = ${removed.deviceId}`),
    ).toEqual([]);
    expect(
      await rows(sql`select kid from signing_keys where kid like 'retired-%' order by kid`),
    ).toEqual([{ kid: `retired-0-${alice.id}` }, { kid: `retired-1-${alice.id}` }]);
    // Alice: the day-0 tokens (expired day 30) are gone; the day-20 ones and the current one stay.
    expect(await tokenCount(alice.id)).toBe(3); // day-20 used, day-20 current, the phone's (the removed device's expired on day 30)
    expect(await tokenCount(bob.id)).toBe(0);
    expect(await tokenCount(carol.id)).toBe(1);

    // Live data works: the phone refreshes, the live link session relays, the live challenge proves
    // a device.
    expect((await refreshWith(phone.api.session?.refreshToken ?? '')).refreshToken).toEqual(
      expect.any(String),
    );
    await alice.api.postLinkMessage(liveLink.id, toBase64(new Uint8Array([4])));
    expect((await alice.api.linkMessages(liveLink.id)).messages).toHaveLength(1);
    expect((await rejection(alice.api.linkMessages(oldLink.id))).code).toBe(
      'LINK_SESSION_NOT_FOUND',
    );
    const device = (await certify(phone, identity)).device;
    const proof = {
      challenge: liveChallenge.challenge,
      signature: toBase64(await signDeviceLogin(device, liveChallenge.challenge)),
    };
    await new RchatApi({ baseUrl: platform.url }).login({
      username: alice.username,
      password: PASSWORD,
      device: { id: phone.deviceId, name: 'phone', proof },
    });
    // Gone tokens and expired ones answer alike: the session has ended.
    expect((await rejection(refreshWith(rotated))).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await rejection(refreshWith(bobToken))).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await rejection(refreshWith(carolToken))).code).toBe('INVALID_REFRESH_TOKEN');

    // A used token of a living family is still recognised as reused, and ends the family.
    expect((await rejection(refreshWith(aliceUsedRecently))).code).toBe('REFRESH_TOKEN_REUSED');
    expect(
      (
        await rejection(
          alice.api.request('POST /auth/refresh', {
            body: { refreshToken: alice.api.session?.refreshToken ?? '' },
            auth: false,
          }),
        )
      ).code,
    ).toBe('INVALID_REFRESH_TOKEN');

    // A second run finds nothing new; later, what has since expired goes too.
    expect(Object.values(await platform.users.retention.runOnce()).every((n) => n === 0)).toBe(
      true,
    );
    advance(30);
    expect(
      (await platform.users.retention.runOnce())['expired-refresh-tokens'],
    ).toBeGreaterThanOrEqual(1);
    expect(await tokenCount(carol.id)).toBe(0);
  });
});
