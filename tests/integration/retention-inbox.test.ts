import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteActiveDevices } from '@rchat/chat';
import { httpInboxReader } from '@rchat/delivery';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  certify,
  listen,
  loginDevice,
  registerUser,
  waitFor,
  type TestUser,
} from '../support/users.ts';

const DAY = 86_400_000;
const INTERNAL_TOKEN = 'i'.repeat(40);
let platform: Platform;
/** The services' clock runs this far ahead of real time; tests move it instead of waiting. */
let offsetMs = 0;
const advance = (days: number) => (offsetMs += days * DAY);

beforeAll(async () => {
  platform = await startPlatform({
    clock: () => new Date(Date.now() + offsetMs),
    env: {
      RETENTION_INTERVAL_SECONDS: '0',
      INBOX_RETENTION_DAYS: '30',
      RETENTION_BATCH_SIZE: '2',
      INTERNAL_TOKEN,
    },
  });
});
afterAll(async () => platform?.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
const inboxSeqs = async (user: TestUser) =>
  (
    await platform.chat.database.rows<{ seq: string | number }>(
      sql`select seq from inbox_entries where user_id = ${user.id} order by seq`,
    )
  ).map((r) => Number(r.seq));
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A device resumes its event stream after `cursor` and reads until it has the head; answers the
 * seqs it got.
 */
async function resume(device: TestUser, cursor: number): Promise<number[]> {
  const { stream, entries, ready } = listen(device, cursor);
  const head = await ready;
  await waitFor(() => head === cursor || entries.at(-1)?.seq === head, 'the backlog');
  stream.close();
  await stream.done;
  return entries.map((e) => e.seq);
}

describe('inbox retention', () => {
  it('deletes old entries only once every device of the user has resumed past them; resume stays exactly-once; history stays', async () => {
    const alice = await registerUser(platform.url, 'inb', 'laptop');
    const { identity } = await certify(alice);
    const phone = await loginDevice(platform.url, alice.username, 'phone');
    await certify(phone, identity);
    const tablet = await loginDevice(platform.url, alice.username, 'tablet');
    await certify(tablet, identity);
    const bob = await registerUser(platform.url, 'inb');
    await certify(bob);
    const carol = await registerUser(platform.url, 'inb'); // certified, never resumes: holds her inbox
    await certify(carol);
    const loner = await registerUser(platform.url, 'inb'); // uncertified (a sign-in that was never set up): holds nothing
    const conversation = await bob.api.createConversation(alice.id);
    await bob.api.createConversation(carol.id);
    await bob.api.createConversation(loner.id);
    for (let i = 1; i <= 5; i++)
      await bob.api.sendMessage(conversation.id, { txnId: `old${i}`, ciphertext: b64(`old ${i}`) });
    const oldHead = (await inboxSeqs(alice)).at(-1) ?? 0;
    expect(oldHead).toBe(6); // the conversation, then five messages

    // The laptop has everything, the phone stopped after entry 2, the tablet resumed from 0 and is
    // then removed.
    expect(await resume(alice, 0)).toEqual(range(1, 6));
    expect(await resume(alice, 6)).toEqual([]);
    expect(await resume(phone, 2)).toEqual(range(3, 6));
    expect(await resume(tablet, 0)).toEqual(range(1, 6));
    await alice.api.removeDevice(tablet.deviceId);
    await bob.api.inbox(Number.MAX_SAFE_INTEGER, 1); // bob's device starts at the head: it has passed all of his

    advance(31);
    await bob.api.sendMessage(conversation.id, { txnId: 'new', ciphertext: b64('new') }); // too young to go
    const report = await platform.chat.retention.runOnce();

    // Alice: what the phone (the furthest behind) passed; the removed tablet holds nothing back.
    expect(await inboxSeqs(alice)).toEqual(range(3, 7));
    expect(await inboxSeqs(carol)).toEqual([1]);
    expect(await inboxSeqs(loner)).toEqual([]);
    expect(await inboxSeqs(bob)).toEqual([9]); // three conversations and five messages went
    expect(report['passed-inbox-entries']).toBe(2 + 1 + 8);
    expect(
      await platform.chat.database.rows(
        sql`select device_id from device_cursors where device_id = ${tablet.deviceId}`,
      ),
    ).toEqual([]);

    // The phone resumes where it was: exactly what it had not seen, once, in order.
    expect(await resume(phone, 2)).toEqual(range(3, 7));
    expect(await resume(phone, 7)).toEqual([]);
    // Having passed them, the entries older than the retention age go; the young one stays for
    // every device.
    await platform.chat.retention.runOnce();
    expect(await inboxSeqs(alice)).toEqual([7]);
    expect(await resume(alice, 6)).toEqual([7]);
    // History is not inbox: every message is still there.
    expect((await alice.api.history(conversation.id, { limit: 10 })).messages).toHaveLength(6);
  });

  it('scaled out: delivery names the resuming device over /internal/inbox, and chat reads devices over /internal/active-devices', async () => {
    const dave = await registerUser(platform.url, 'inb');
    await certify(dave);
    const other = await loginDevice(platform.url, dave.username, 'uncertified');
    await dave.api.createConversation((await registerUser(platform.url, 'inb')).id);
    expect(await remoteActiveDevices(platform.url, INTERNAL_TOKEN)([dave.id])).toEqual(
      expect.arrayContaining([
        { userId: dave.id, deviceId: dave.deviceId, certified: true },
        { userId: dave.id, deviceId: other.deviceId, certified: false },
      ]),
    );
    const read = httpInboxReader(platform.url, INTERNAL_TOKEN);
    await read(dave.id, { after: 0, limit: 10 }); // a gap repair: not a resume
    expect(
      await platform.chat.database.rows(
        sql`select device_id from device_cursors where user_id = ${dave.id}`,
      ),
    ).toEqual([]);
    expect((await read(dave.id, { after: 0, limit: 10 }, dave.deviceId)).entries).toHaveLength(1);
    expect(
      await platform.chat.database.rows(
        sql`select device_id, cursor_seq::int as cursor from device_cursors where user_id = ${dave.id}`,
      ),
    ).toEqual([{ device_id: dave.deviceId, cursor: 0 }]);
  });
});
