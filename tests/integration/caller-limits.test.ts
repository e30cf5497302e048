import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeviceKeys,
  deviceCertificateToBase64,
  generateIdentityKeyPair,
  toBase64,
  type IdentityKeyPair,
} from '@rchat/crypto';
import { RchatApi } from '@rchat/sdk';
import { rejection } from '../support/rejection.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  listen,
  loginDevice,
  PASSWORD,
  registerUser,
  waitFor,
  type TestUser,
} from '../support/users.ts';

// Small budgets, so each limit is reached in a few requests.
const MAX_COMMIT_BYTES = 8_192;
const MAX_PAGE_BYTES = 65_536;
const COMMITS_PER_CONVERSATION = 6;
const COMMITS_PER_ACCOUNT = 10;
const JOIN_REQUESTS = 3;
const STREAMS = 3;
const DEVICES = 3;
const KEY_PACKAGES_PER_DEVICE = 20;
const KEY_PACKAGES_PER_USER = 30;
const BACKUP_ENTRIES = 25;

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({
    env: {
      MAX_COMMIT_BYTES: String(MAX_COMMIT_BYTES),
      MAX_PAGE_BYTES: String(MAX_PAGE_BYTES),
      RATE_LIMIT_COMMITS_PER_CONVERSATION_PER_MINUTE: String(COMMITS_PER_CONVERSATION),
      RATE_LIMIT_COMMITS_PER_MINUTE: String(COMMITS_PER_ACCOUNT),
      RATE_LIMIT_JOIN_REQUESTS_PER_MINUTE: String(JOIN_REQUESTS),
      MAX_STREAMS_PER_USER: String(STREAMS),
      MAX_DEVICES_PER_USER: String(DEVICES),
      MAX_KEY_PACKAGES_PER_DEVICE: String(KEY_PACKAGES_PER_DEVICE),
      MAX_KEY_PACKAGES_PER_USER: String(KEY_PACKAGES_PER_USER),
      MAX_BACKUP_ENTRIES_PER_USER: String(BACKUP_ENTRIES),
    },
  });
});
afterAll(async () => platform?.close());

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill).toString('base64');
const inAYear = () => Date.now() + 365 * 86_400_000;

/** Two fresh users and their conversation. */
async function pair(prefix: string): Promise<[TestUser, TestUser, string]> {
  const a = await registerUser(platform.url, `${prefix}a`);
  const b = await registerUser(platform.url, `${prefix}b`);
  return [a, b, (await a.api.createConversation(b.id)).id];
}

/**
 * Certifies a device with the account's identity key, as a client does (setting the key first when
 * `first`).
 */
async function certify(user: TestUser, identity: IdentityKeyPair, first: boolean): Promise<void> {
  if (first) await user.api.setIdentityKey(toBase64(identity.publicKey));
  const keys = await createDeviceKeys(identity, {
    userId: user.id,
    deviceId: user.deviceId,
    cipherSuite: 1,
    expiresAt: inAYear(),
  });
  await user.api.setDeviceCertificate(deviceCertificateToBase64(keys.certificate));
}

/** A raw request, for the status and headers the SDK folds away. */
async function raw(
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; code: string | undefined; retryAfter: number }> {
  const res = await fetch(`${platform.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const code = text ? (JSON.parse(text) as { error?: { code: string } }).error?.code : undefined;
  return { status: res.status, code, retryAfter: Number(res.headers.get('retry-after')) };
}

const tokenOf = (u: TestUser) => u.api.session?.accessToken ?? '';

describe('commit flood', () => {
  it('refuses a commit or Welcome past MAX_COMMIT_BYTES with 413 and stores nothing; one at the bound is accepted', async () => {
    const [a, b, id] = await pair('size');
    const over = await rejection(
      a.api.submitCommit(id, { epoch: 0, commit: bytes(MAX_COMMIT_BYTES + 1) }),
    );
    expect([over.status, over.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const bigWelcome = await rejection(
      a.api.submitCommit(id, {
        epoch: 0,
        commit: bytes(100),
        welcome: {
          message: bytes(MAX_COMMIT_BYTES + 1),
          recipients: [{ userId: b.id, deviceId: b.deviceId }],
        },
      }),
    );
    expect([bigWelcome.status, bigWelcome.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // A body far past the route's limit is refused before it is read.
    const huge = await raw(`/conversations/${id}/commits`, tokenOf(a), {
      epoch: 0,
      commit: bytes(MAX_COMMIT_BYTES * 4),
    });
    expect([huge.status, huge.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect((await a.api.conversation(id)).epoch).toBe(0);
    expect((await b.api.inbox(0)).entries.filter((e) => e.type === 'commit')).toEqual([]);

    expect(
      await a.api.submitCommit(id, {
        epoch: 0,
        commit: bytes(MAX_COMMIT_BYTES),
        welcome: {
          message: bytes(MAX_COMMIT_BYTES),
          recipients: [{ userId: b.id, deviceId: b.deviceId }],
        },
      }),
    ).toEqual({ epoch: 1 });
  });

  it("limits commits per conversation (429 with Retry-After) without touching the members' other conversations", async () => {
    const [a, b, id] = await pair('conv');
    const c = await registerUser(platform.url, 'convc');
    const other = (await a.api.createConversation(c.id)).id;
    for (let epoch = 0; epoch < COMMITS_PER_CONVERSATION; epoch++) {
      await (epoch % 2 === 0 ? a : b).api.submitCommit(id, { epoch, commit: bytes(64, epoch) });
    }
    const refused = await raw(`/conversations/${id}/commits`, tokenOf(b), {
      epoch: COMMITS_PER_CONVERSATION,
      commit: bytes(64),
    });
    expect([refused.status, refused.code]).toEqual([429, 'RATE_LIMITED']);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    expect((await a.api.conversation(id)).epoch).toBe(COMMITS_PER_CONVERSATION);
    // Someone outside the conversation cannot spend its budget (they get 404 and the members keep
    // theirs elsewhere).
    expect(
      (
        await rejection(
          c.api.submitCommit(id, { epoch: COMMITS_PER_CONVERSATION, commit: bytes(64) }),
        )
      ).code,
    ).toBe('CONVERSATION_NOT_FOUND');
    expect(await a.api.submitCommit(other, { epoch: 0, commit: bytes(64) })).toEqual({ epoch: 1 });
  });

  it('limits commits per account: signing in again, refreshing or forging tokens does not reset or spend it', async () => {
    const frank = await registerUser(platform.url, 'frank');
    const peers = await Promise.all([0, 1, 2].map((i) => registerUser(platform.url, `fpeer${i}`)));
    const ids = await Promise.all(
      peers.map(async (p) => (await frank.api.createConversation(p.id)).id),
    );
    // Spread over conversations so no conversation's budget is reached first.
    const epochs = new Map(ids.map((id) => [id, 0]));
    for (let i = 0; i < COMMITS_PER_ACCOUNT; i++) {
      const id = ids[i % ids.length] as string;
      const epoch = epochs.get(id) ?? 0;
      await frank.api.submitCommit(id, { epoch, commit: bytes(64, i) });
      epochs.set(id, epoch + 1);
    }
    const target = ids[0] as string;
    const next = { epoch: epochs.get(target) ?? 0, commit: bytes(64) };
    expect((await raw(`/conversations/${target}/commits`, tokenOf(frank), next)).status).toBe(429);

    // A new device (a new token) of the same account shares the budget.
    const again = await loginDevice(platform.url, frank.username, 'second login');
    const churned = await raw(`/conversations/${target}/commits`, tokenOf(again), next);
    expect([churned.status, churned.code]).toEqual([429, 'RATE_LIMITED']);
    await frank.api.refresh();
    expect((await raw(`/conversations/${target}/commits`, tokenOf(frank), next)).status).toBe(429);

    // The peer's own budget is untouched, and forged tokens naming the peer are counted against
    // their sender's address, not the peer.
    const peer = peers[1] as (typeof peers)[number];
    const [, payload] = tokenOf(peer).split('.');
    const forged = `eyJhbGciOiJFZERTQSIsImtpZCI6IngifQ.${payload}.${'A'.repeat(86)}`;
    const forgedAnswers = [];
    for (let i = 0; i < COMMITS_PER_ACCOUNT + 2; i++)
      forgedAnswers.push(
        (await raw(`/conversations/${ids[1]}/commits`, forged, { epoch: 0, commit: bytes(64) }))
          .status,
      );
    expect(new Set(forgedAnswers)).toEqual(new Set([401, 429]));
    expect(
      await peer.api.submitCommit(ids[1] as string, {
        epoch: epochs.get(ids[1] as string) ?? 0,
        commit: bytes(64),
      }),
    ).toEqual({ epoch: (epochs.get(ids[1] as string) ?? 0) + 1 });
  });

  it('limits join requests per account, across new logins', async () => {
    const [a, , id] = await pair('join');
    for (let i = 0; i < JOIN_REQUESTS; i++) await a.api.requestJoin(id);
    const refused = await rejection(a.api.requestJoin(id));
    expect([refused.status, refused.code]).toEqual([429, 'RATE_LIMITED']);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const again = await loginDevice(platform.url, a.username, 'restored');
    expect((await rejection(again.api.requestJoin(id))).code).toBe('RATE_LIMITED');
  });
});

describe('listings paged by bytes', () => {
  it('ends an inbox page before MAX_PAGE_BYTES (never empty) and the cursor still reaches every entry once', async () => {
    const [a, b, id] = await pair('page');
    const start = (await b.api.inbox(Number.MAX_SAFE_INTEGER, 1)).headSeq;
    // 20,000 bytes each: three do not fit in 64 KiB as base64; one past the budget still comes
    // alone.
    for (let i = 0; i < 7; i++)
      await a.api.sendMessage(id, { txnId: `p${i}`, ciphertext: bytes(20_000, i) });
    await a.api.sendMessage(id, { txnId: 'big', ciphertext: bytes(60_000) });
    const first = await b.api.inbox(start, 500);
    expect(first.entries.length).toBe(2);
    const seen: number[] = [];
    let after = start;
    for (;;) {
      const page = await b.api.inbox(after, 500);
      const payload = page.entries.reduce(
        (n, e) => n + (e.type === 'message' ? e.message.ciphertext.length : 0),
        0,
      );
      expect(page.entries.length).toBeGreaterThan(0);
      if (page.entries.length > 1) expect(payload).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      seen.push(...page.entries.map((e) => e.seq));
      after = page.entries.at(-1)?.seq ?? after;
      if (after >= page.headSeq) break;
    }
    expect(seen).toEqual(Array.from({ length: 8 }, (_, i) => start + i + 1));
  });

  it('ends a commit listing page before MAX_PAGE_BYTES; following it from the last epoch gets every commit once', async () => {
    const [a, b, id] = await pair('cpage');
    for (let epoch = 0; epoch < COMMITS_PER_CONVERSATION; epoch++)
      await (epoch % 2 === 0 ? a : b).api.submitCommit(id, {
        epoch,
        commit: bytes(MAX_COMMIT_BYTES, epoch),
      });
    const first = await b.api.commits(id, 0, 500);
    // 8 KiB commits are 10,924 base64 characters: five fit in 64 KiB.
    expect(first.commits.map((c) => c.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(first.epoch).toBe(COMMITS_PER_CONVERSATION);
    expect((await b.api.commits(id, 5, 500)).commits.map((c) => c.epoch)).toEqual([5]);
  });

  it('ends a backup listing page before MAX_PAGE_BYTES with `next` set, and `next` leads through every entry', async () => {
    const owner = await registerUser(platform.url, 'bpage');
    await certify(owner, generateIdentityKeyPair(), true);
    await owner.api.appendBackup([bytes(30_000, 1), bytes(30_000, 2), bytes(30_000, 3)]);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = await owner.api.backupEntries(after, 500);
      expect(page.entries.length).toBe(1);
      seen.push(...page.entries.map((e) => e.seq));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('streams per user', () => {
  it(`refuses a stream past ${STREAMS} per account with 429 TOO_MANY_STREAMS and Retry-After; a slot frees when one ends`, async () => {
    const henry = await registerUser(platform.url, 'henry');
    const phone = await loginDevice(platform.url, henry.username, 'phone');
    const open = [listen(henry), listen(henry), listen(phone)];
    await Promise.all(open.map((s) => s.ready));
    const refused = await fetch(`${platform.url}/events`, {
      headers: { authorization: `Bearer ${tokenOf(phone)}` },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'TOO_MANY_STREAMS',
    );

    // Another account is not affected.
    const other = await registerUser(platform.url, 'henryfriend');
    const theirs = listen(other);
    await theirs.ready;
    theirs.stream.close();

    open[0]?.stream.close();
    await waitFor(async () => {
      const res = await fetch(`${platform.url}/events`, {
        headers: { authorization: `Bearer ${tokenOf(henry)}` },
        signal: AbortSignal.timeout(2_000),
      }).catch(() => undefined);
      const ok = res?.status === 200;
      await res?.body?.cancel();
      return ok;
    }, 'a stream slot to free up');
    for (const s of open.slice(1)) s.stream.close();
  });
});

describe('quotas', () => {
  it(`refuses a login as a new device past ${DEVICES} devices with 422 TOO_MANY_DEVICES; removed devices do not count`, async () => {
    const ivy = await registerUser(platform.url, 'ivy');
    await certify(ivy, generateIdentityKeyPair(), true);
    const devices = [
      ivy,
      await loginDevice(platform.url, ivy.username, 'two'),
      await loginDevice(platform.url, ivy.username, 'three'),
    ];
    const api = new RchatApi({ baseUrl: platform.url });
    const refused = await rejection(
      api.login({ username: ivy.username, password: PASSWORD, device: { name: 'four' } }),
    );
    expect([refused.status, refused.code]).toEqual([422, 'TOO_MANY_DEVICES']);
    // Choosing a new device id does not get around it, and nothing was added.
    expect(
      (
        await rejection(
          api.login({
            username: ivy.username,
            password: PASSWORD,
            device: { name: 'four', id: '00000000-0000-4000-8000-00000000f0f0' },
          }),
        )
      ).code,
    ).toBe('TOO_MANY_DEVICES');
    expect((await ivy.api.devices()).map((d) => d.name).sort()).toEqual([
      'test device',
      'three',
      'two',
    ]);

    await ivy.api.removeDevice((devices[2] as TestUser).deviceId);
    const fourth = await loginDevice(platform.url, ivy.username, 'four');
    expect((await ivy.api.devices()).map((d) => d.id)).toContain(fourth.deviceId);
  });

  it(`keeps at most ${KEY_PACKAGES_PER_USER} one-time KeyPackages per account across its devices (and ${KEY_PACKAGES_PER_DEVICE} per device)`, async () => {
    const jay = await registerUser(platform.url, 'jay');
    const tablet = await loginDevice(platform.url, jay.username, 'tablet');
    const identity = generateIdentityKeyPair();
    await certify(jay, identity, true);
    await certify(tablet, identity, false);
    const kp = (n: number) => Array.from({ length: n }, (_, i) => bytes(32, i));
    const perDevice = await rejection(
      jay.api.uploadKeyPackages({ keyPackages: kp(KEY_PACKAGES_PER_DEVICE + 1) }),
    );
    expect([perDevice.status, perDevice.code]).toEqual([422, 'TOO_MANY_KEY_PACKAGES']);
    expect(await jay.api.uploadKeyPackages({ keyPackages: kp(KEY_PACKAGES_PER_DEVICE) })).toEqual({
      oneTime: KEY_PACKAGES_PER_DEVICE,
      lastResort: false,
    });
    const left = KEY_PACKAGES_PER_USER - KEY_PACKAGES_PER_DEVICE;
    const perUser = await rejection(tablet.api.uploadKeyPackages({ keyPackages: kp(left + 1) }));
    expect([perUser.status, perUser.code]).toEqual([422, 'TOO_MANY_KEY_PACKAGES']);
    expect(await tablet.api.keyPackageCount()).toEqual({ oneTime: 0, lastResort: false });
    expect(
      await tablet.api.uploadKeyPackages({ keyPackages: kp(left), lastResort: bytes(32) }),
    ).toEqual({ oneTime: left, lastResort: true });
    // Claimed KeyPackages leave the quota.
    const claimer = await registerUser(platform.url, 'jayfriend');
    await claimer.api.claimKeyPackages(jay.id);
    expect(await tablet.api.uploadKeyPackages({ keyPackages: kp(1) })).toEqual({
      oneTime: left,
      lastResort: true,
    });
  });

  it(`stores at most ${BACKUP_ENTRIES} backup entries per account; a request past it is refused whole with 422 BACKUP_FULL`, async () => {
    const kim = await registerUser(platform.url, 'kim');
    await certify(kim, generateIdentityKeyPair(), true);
    const entries = (n: number) => Array.from({ length: n }, (_, i) => bytes(16, i));
    await kim.api.appendBackup(entries(20));
    const refused = await rejection(kim.api.appendBackup(entries(BACKUP_ENTRIES - 20 + 1)));
    expect([refused.status, refused.code]).toEqual([422, 'BACKUP_FULL']);
    expect((await kim.api.backupEntries(0, 500)).entries.length).toBe(20);
    expect(await kim.api.appendBackup(entries(BACKUP_ENTRIES - 20))).toEqual({
      last: BACKUP_ENTRIES,
    });
    expect((await rejection(kim.api.appendBackup(entries(1)))).code).toBe('BACKUP_FULL');
  });
});
