import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@rchat/server-kit';
import { startPlatform, type Platform } from '../support/platform.ts';
import { rejection } from '../support/rejection.ts';
import { b64, certify, loginDevice, registerUser, unb64 } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

describe('link sessions', () => {
  it('relay opaque messages between devices of one user only, bounded in count and time', async () => {
    const laptop = await registerUser(platform.url, 'bob', 'laptop');
    const phone = await loginDevice(platform.url, laptop.username, 'phone');
    const eve = await registerUser(platform.url, 'eve');
    const session = await phone.api.openLinkSession();
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    await phone.api.postLinkMessage(session.id, b64('hello from the new device'));
    await laptop.api.postLinkMessage(session.id, b64('answer from the signed-in device'));
    const seen = await phone.api.linkMessages(session.id, 1);
    expect(seen.messages.map((m) => [m.seq, m.fromDeviceId, unb64(m.ciphertext)])).toEqual([
      [2, laptop.deviceId, 'answer from the signed-in device'],
    ]);

    expect((await rejection(eve.api.linkMessages(session.id))).code).toBe('LINK_SESSION_NOT_FOUND');
    expect((await rejection(eve.api.postLinkMessage(session.id, b64('let me in')))).code).toBe(
      'LINK_SESSION_NOT_FOUND',
    );
    for (let i = 3; i <= 20; i++) await laptop.api.postLinkMessage(session.id, b64(`m${i}`));
    expect(
      (await rejection(laptop.api.postLinkMessage(session.id, b64('one too many')))).code,
    ).toBe('LINK_SESSION_FULL');

    await platform.users.database.rows(
      sql`update link_sessions set expires_at = now() - interval '1 second' where id = ${session.id}`,
    );
    expect((await rejection(phone.api.linkMessages(session.id))).code).toBe(
      'LINK_SESSION_NOT_FOUND',
    );
  });
});

describe('key backup storage', () => {
  it('keeps one secret-storage blob and an append-only entry log per account, visible only to it', async () => {
    const alice = await registerUser(platform.url, 'alice', 'laptop');
    const alicePhone = await loginDevice(platform.url, alice.username, 'phone');
    const eve = await registerUser(platform.url, 'eve');
    expect((await rejection(alice.api.secretStorage())).code).toBe('BACKUP_NOT_FOUND');
    // A device the identity key has not certified (a password alone) can neither replace secret
    // storage nor touch the backup log.
    expect(
      (await rejection(alice.api.putSecretStorage(b64('sealed by a password thief')))).code,
    ).toBe('DEVICE_NOT_CERTIFIED');
    expect((await rejection(alice.api.appendBackup([b64('forged')]))).code).toBe(
      'DEVICE_NOT_CERTIFIED',
    );
    expect((await rejection(alice.api.backupEntries())).code).toBe('DEVICE_NOT_CERTIFIED');
    const { identity } = await certify(alice);
    await certify(alicePhone, identity);
    await certify(eve);
    await alice.api.putSecretStorage(b64('sealed keys v1'));
    await alicePhone.api.putSecretStorage(b64('sealed keys v2'));
    expect(unb64((await alice.api.secretStorage()).ciphertext)).toBe('sealed keys v2');
    expect((await rejection(eve.api.secretStorage())).code).toBe('BACKUP_NOT_FOUND');

    await alice.api.appendBackup([b64('e1'), b64('e2')]);
    await Promise.all([
      alicePhone.api.appendBackup([b64('e3')]),
      alice.api.appendBackup([b64('e4')]),
    ]);
    const page1 = await alicePhone.api.backupEntries(0, 2);
    expect(page1.entries.map((e) => [e.seq, unb64(e.entry)])).toEqual([
      [1, 'e1'],
      [2, 'e2'],
    ]);
    const page2 = await alicePhone.api.backupEntries(page1.next ?? 0, 10);
    expect(page2.entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(page2.entries.map((e) => unb64(e.entry)).sort()).toEqual(['e3', 'e4']);
    expect(page2.next).toBeNull();
    expect((await eve.api.backupEntries()).entries).toEqual([]);
  });
});
