import { afterEach, describe, expect, it } from 'vitest';
import { migrate, sql } from '@rchat/server-kit';
import { chatMigrations } from '../src/db/migrations.ts';
import { freshDatabase } from '../../../tests/support/test-database.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => dispose?.());

const conv = '00000000-0000-4000-8000-0000000000c1';
const alice = '00000000-0000-4000-8000-000000000001';
const device = '00000000-0000-4000-8000-0000000000d1';

describe('chat migrations', () => {
  it('0001_conversations_messages_inbox: one direct conversation per pair, one message per (device, txnId) and per sequence, one inbox entry per (user, seq)', async () => {
    const db = await freshDatabase('chat');
    dispose = db.dispose;
    expect(await migrate(db, 'chat', chatMigrations.slice(0, 1))).toEqual([
      '0001_conversations_messages_inbox',
    ]);
    await db.rows(
      sql`insert into conversations (id, kind, direct_key) values (${conv}, 'direct', 'a:b')`,
    );
    await expect(
      db.rows(
        sql`insert into conversations (id, kind, direct_key) values ('00000000-0000-4000-8000-0000000000c2', 'direct', 'a:b')`,
      ),
    ).rejects.toThrow();
    await expect(
      db.rows(
        sql`insert into conversations (id, kind) values ('00000000-0000-4000-8000-0000000000c3', 'party')`,
      ),
    ).rejects.toThrow();
    const insertMessage = (seq: number, id: string, txn: string) =>
      db.rows(sql`insert into messages (conversation_id, seq, id, sender_user_id, sender_device_id, txn_id, ciphertext)
        values (${conv}, ${seq}, ${id}, ${alice}, ${device}, ${txn}, '\\x00')`);
    await insertMessage(1, '00000000-0000-4000-8000-0000000000e1', 't1');
    await expect(insertMessage(2, '00000000-0000-4000-8000-0000000000e2', 't1')).rejects.toThrow();
    await expect(insertMessage(1, '00000000-0000-4000-8000-0000000000e3', 't3')).rejects.toThrow();
    await db.rows(
      sql`insert into inbox_entries (user_id, seq, type, conversation_id, message_seq) values (${alice}, 1, 'message', ${conv}, 1)`,
    );
    await expect(
      db.rows(
        sql`insert into inbox_entries (user_id, seq, type, conversation_id, message_seq) values (${alice}, 1, 'message', ${conv}, 1)`,
      ),
    ).rejects.toThrow();
    await db.rows(sql`delete from conversations where id = ${conv}`);
    expect(await db.rows(sql`select id from messages`)).toEqual([]);
  });

  it('0002_mls_epochs_commits_welcomes: one commit per (conversation, epoch); inbox takes commit and welcome entries for chosen devices', async () => {
    const db = await freshDatabase('chat');
    dispose = db.dispose;
    expect(await migrate(db, 'chat', chatMigrations.slice(0, 2))).toEqual(
      chatMigrations.slice(0, 2).map((m) => m.id),
    );
    await db.rows(
      sql`insert into conversations (id, kind, direct_key) values (${conv}, 'direct', 'a:b')`,
    );
    expect(await db.rows(sql`select epoch from conversations`)).toEqual([
      { epoch: expect.anything() },
    ]);
    const commit = () =>
      db.rows(
        sql`insert into commits (conversation_id, epoch, sender_user_id, sender_device_id, commit) values (${conv}, 0, ${alice}, ${device}, '\\x01')`,
      );
    await commit();
    await expect(commit()).rejects.toThrow();
    await db.rows(
      sql`insert into inbox_entries (user_id, seq, type, conversation_id, commit_epoch) values (${alice}, 1, 'commit', ${conv}, 0)`,
    );
    await db.rows(
      sql`insert into inbox_entries (user_id, seq, type, conversation_id, device_ids, payload) values (${alice}, 2, 'welcome', ${conv}, ${`{${device}}`}::uuid[], '{}'::jsonb)`,
    );
    await expect(
      db.rows(
        sql`insert into inbox_entries (user_id, seq, type, conversation_id) values (${alice}, 3, 'bogus', ${conv})`,
      ),
    ).rejects.toThrow();
  });

  it('0004_deleted_accounts: a membership can be marked deleted; the inbox takes account-deleted entries', async () => {
    const db = await freshDatabase('chat');
    dispose = db.dispose;
    expect(await migrate(db, 'chat', chatMigrations.slice(0, 4))).toEqual(
      chatMigrations.slice(0, 4).map((m) => m.id),
    );
    await db.rows(
      sql`insert into conversations (id, kind, direct_key) values (${conv}, 'direct', 'a:b')`,
    );
    await db.rows(
      sql`insert into conversation_members (conversation_id, user_id, username) values (${conv}, ${alice}, 'alice')`,
    );
    expect(await db.rows(sql`select deleted_at from conversation_members`)).toEqual([
      { deleted_at: null },
    ]);
    await db.rows(sql`update conversation_members set deleted_at = now()`);
    await db.rows(
      sql`insert into inbox_entries (user_id, seq, type, conversation_id, payload) values (${alice}, 1, 'account-deleted', ${conv}, '{}'::jsonb)`,
    );
    await db.rows(
      sql`insert into inbox_entries (user_id, seq, type, conversation_id, payload) values (${alice}, 2, 'join-request', ${conv}, '{}'::jsonb)`,
    );
    await expect(
      db.rows(
        sql`insert into inbox_entries (user_id, seq, type, conversation_id) values (${alice}, 3, 'bogus', ${conv})`,
      ),
    ).rejects.toThrow();
  });

  it('0005_device_cursors: one cursor per device of a user', async () => {
    const db = await freshDatabase('chat');
    dispose = db.dispose;
    expect(await migrate(db, 'chat', chatMigrations.slice(0, 5))).toEqual(
      chatMigrations.slice(0, 5).map((m) => m.id),
    );
    const cursor = (seq: number) =>
      db.rows(
        sql`insert into device_cursors (user_id, device_id, cursor_seq) values (${alice}, ${device}, ${seq})`,
      );
    await cursor(3);
    await expect(cursor(4)).rejects.toThrow();
    expect(await db.rows(sql`select cursor_seq::int as seq from device_cursors`)).toEqual([
      { seq: 3 },
    ]);
  });
});
