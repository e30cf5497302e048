import { afterEach, describe, expect, it } from 'vitest';
import { migrate, sql } from '@rchat/server-kit';
import { usersMigrations } from '../src/db/migrations.ts';
import { freshDatabase } from '../../../tests/support/test-database.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => dispose?.());

describe('users migrations', () => {
  it('0001_accounts_devices_tokens: accounts with unique, well-formed usernames; devices and tokens cascade with the account', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 1))).toEqual([
      '0001_accounts_devices_tokens',
    ]);
    await db.rows(
      sql`insert into users (id, username, password_hash) values ('00000000-0000-4000-8000-000000000001', 'alice', 'h')`,
    );
    await expect(
      db.rows(
        sql`insert into users (id, username, password_hash) values ('00000000-0000-4000-8000-000000000002', 'alice', 'h')`,
      ),
    ).rejects.toThrow();
    await expect(
      db.rows(
        sql`insert into users (id, username, password_hash) values ('00000000-0000-4000-8000-000000000003', 'Not Valid', 'h')`,
      ),
    ).rejects.toThrow();
    await db.rows(
      sql`insert into devices (id, user_id, name) values ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-000000000001', 'laptop')`,
    );
    await db.rows(sql`insert into refresh_tokens (id, family_id, user_id, device_id, token_hash, expires_at)
      values ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-0000000000f0', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000d1', '\\x01', now())`);
    await db.rows(sql`delete from users where username = 'alice'`);
    expect(await db.rows(sql`select id from devices`)).toEqual([]);
    expect(await db.rows(sql`select id from refresh_tokens`)).toEqual([]);
  });

  it('0002_identity_keys_certificates_key_packages: at most one last-resort KeyPackage per device; KeyPackages go with their device', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 2))).toEqual(
      usersMigrations.slice(0, 2).map((m) => m.id),
    );
    await db.rows(
      sql`insert into users (id, username, password_hash, identity_key) values ('00000000-0000-4000-8000-000000000001', 'alice', 'h', '\\x01')`,
    );
    await db.rows(
      sql`insert into devices (id, user_id, name, certificate) values ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-000000000001', 'laptop', '\\x02')`,
    );
    const kp = (id: string, lastResort: boolean) =>
      db.rows(sql`insert into key_packages (id, device_id, user_id, key_package, last_resort)
        values (${id}, '00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-000000000001', '\\x03', ${lastResort})`);
    await kp('00000000-0000-4000-8000-0000000000a1', false);
    await kp('00000000-0000-4000-8000-0000000000a2', false);
    await kp('00000000-0000-4000-8000-0000000000a3', true);
    await expect(kp('00000000-0000-4000-8000-0000000000a4', true)).rejects.toThrow();
    await db.rows(sql`delete from devices`);
    expect(await db.rows(sql`select id from key_packages`)).toEqual([]);
  });

  it('0003_link_sessions_secret_storage_backup: link messages and backup entries are unique per sequence and go with their owner', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 3))).toEqual(
      usersMigrations.slice(0, 3).map((m) => m.id),
    );
    const user = '00000000-0000-4000-8000-000000000001';
    const session = '00000000-0000-4000-8000-0000000000e1';
    await db.rows(
      sql`insert into users (id, username, password_hash) values (${user}, 'alice', 'h')`,
    );
    await db.rows(
      sql`insert into link_sessions (id, user_id, created_by, expires_at) values (${session}, ${user}, ${user}, now())`,
    );
    const link = () =>
      db.rows(
        sql`insert into link_messages (session_id, seq, from_device_id, ciphertext) values (${session}, 1, ${user}, '\\x01')`,
      );
    await link();
    await expect(link()).rejects.toThrow();
    const entry = () =>
      db.rows(
        sql`insert into backup_entries (user_id, seq, device_id, entry) values (${user}, 1, ${user}, '\\x01')`,
      );
    await entry();
    await expect(entry()).rejects.toThrow();
    await db.rows(sql`insert into secret_storage (user_id, ciphertext) values (${user}, '\\x02')`);
    await db.rows(sql`delete from users`);
    for (const table of ['link_sessions', 'link_messages', 'backup_entries', 'secret_storage'])
      expect(await db.rows(sql.raw(`select * from ${table}`))).toEqual([]);
  });

  it('0004_identity_reset_device_proof: a revocation reason is one of the known ones; login challenges are single entries', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 4))).toEqual(
      usersMigrations.slice(0, 4).map((m) => m.id),
    );
    const user = '00000000-0000-4000-8000-000000000001';
    await db.rows(
      sql`insert into users (id, username, password_hash, identity_reset_at) values (${user}, 'alice', 'h', now())`,
    );
    await db.rows(
      sql`insert into devices (id, user_id, name, revoked_at, revoked_reason) values ('00000000-0000-4000-8000-0000000000d1', ${user}, 'laptop', now(), 'identity-reset')`,
    );
    await expect(
      db.rows(
        sql`insert into devices (id, user_id, name, revoked_reason) values ('00000000-0000-4000-8000-0000000000d2', ${user}, 'phone', 'because')`,
      ),
    ).rejects.toThrow();
    const challenge = () =>
      db.rows(sql`insert into login_challenges (challenge, expires_at) values ('c1', now())`);
    await challenge();
    await expect(challenge()).rejects.toThrow();
  });

  it('0005_account_deletion: an account row can be a tombstone that keeps its username reserved', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 5))).toEqual(
      usersMigrations.slice(0, 5).map((m) => m.id),
    );
    await db.rows(
      sql`insert into users (id, username, password_hash) values ('00000000-0000-4000-8000-000000000001', 'alice', 'h')`,
    );
    await db.rows(sql`update users set deleted_at = now(), identity_key = null`);
    expect(await db.rows(sql`select username from users where deleted_at is not null`)).toEqual([
      { username: 'alice' },
    ]);
    await expect(
      db.rows(
        sql`insert into users (id, username, password_hash) values ('00000000-0000-4000-8000-000000000002', 'alice', 'h')`,
      ),
    ).rejects.toThrow();
  });

  it('0006_retention: expired tokens and removed devices are found by index', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    expect(await migrate(db, 'users', usersMigrations.slice(0, 6))).toEqual(
      usersMigrations.slice(0, 6).map((m) => m.id),
    );
    const indexes = await db.rows<{ indexname: string }>(
      sql`select indexname from pg_indexes where indexname in ('refresh_tokens_expiry_idx', 'devices_revoked_idx') order by indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'devices_revoked_idx',
      'refresh_tokens_expiry_idx',
    ]);
  });

  it('applies each migration once, even when two instances start together', async () => {
    const db = await freshDatabase('users');
    dispose = db.dispose;
    const [a, b] = await Promise.all([
      migrate(db, 'users', usersMigrations),
      migrate(db, 'users', usersMigrations),
    ]);
    expect([...a, ...b]).toEqual(usersMigrations.map((m) => m.id));
    expect(await migrate(db, 'users', usersMigrations)).toEqual([]);
  });
});
