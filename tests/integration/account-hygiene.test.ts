import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatApi, RchatClient, createMemoryStorage } from '@rchat/sdk';
import { createLogger, createMemoryBus, sql } from '@rchat/server-kit';
import { createChatService, loadChatConfig } from '@rchat/chat';
import { rejection } from '../support/rejection.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import { observe, registerClient, waitForTexts, type TestClient } from '../support/clients.ts';
import { PASSWORD, loginDevice, waitFor, type TestUser } from '../support/users.ts';

const NEW_PASSWORD = 'a brand new passphrase 42';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

/** A second, certified device of the account (given the identity key, as linking does). */
async function secondDevice(owner: TestClient, name: string): Promise<TestClient> {
  const storage = createMemoryStorage();
  const client = await RchatClient.loginWithIdentity(
    { baseUrl: platform.url, storage, deviceName: name },
    owner.client.username,
    PASSWORD,
    owner.client.identityKeyPair,
  );
  return observe(client, storage);
}

/** What a request with this access token answers, per service. */
async function answers(accessToken: string): Promise<string[]> {
  const out: string[] = [];
  for (const path of ['/devices', '/conversations', '/events']) {
    const res = await fetch(`${platform.url}${path}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const body = (await res.json()) as { error?: { code: string } };
    out.push(`${path} ${res.status} ${body.error?.code ?? 'ok'}`);
  }
  return out;
}

const refreshWith = (refreshToken: string) =>
  rejection(
    new RchatApi({ baseUrl: platform.url }).request('POST /auth/refresh', {
      body: { refreshToken },
      auth: false,
    }),
  );
const loginAs = (username: string, password: string) =>
  new RchatApi({ baseUrl: platform.url }).login({ username, password, device: { name: 'probe' } });

/**
 * A password thief's session: a fresh device signed in with the password alone (never certified by
 * the identity key).
 */
async function thiefOf(t: TestClient): Promise<TestUser> {
  return loginDevice(platform.url, t.client.username, 'thief');
}

describe('changing the password', () => {
  it('needs the current password and a certified device, ends every other device’s sessions at once and keeps this one', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const tablet = await secondDevice(alice, 'tablet');
    const thief = await thiefOf(alice);
    const tabletSession = tablet.client.api.session;
    if (!tabletSession) throw new Error('no session');

    // The password alone (an uncertified device) cannot change it.
    const byThief = await rejection(thief.api.changePassword(PASSWORD, 'the thief wants this one'));
    expect([byThief.status, byThief.code]).toEqual([403, 'DEVICE_NOT_CERTIFIED']);
    const wrong = await rejection(alice.client.changePassword('not the password', NEW_PASSWORD));
    expect([wrong.status, wrong.code]).toEqual([403, 'WRONG_PASSWORD']);
    expect((await rejection(alice.client.changePassword(PASSWORD, 'short'))).code).toBe(
      'WEAK_PASSWORD',
    );
    await loginAs(alice.client.username, PASSWORD); // nothing changed so far

    expect(await alice.client.changePassword(PASSWORD, NEW_PASSWORD)).toBe(3); // tablet, thief, and the probe login above

    // The other devices' refresh tokens and still-unexpired access tokens are refused by every
    // service.
    expect((await refreshWith(tabletSession.refreshToken)).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await refreshWith(thief.api.session?.refreshToken ?? '')).code).toBe(
      'INVALID_REFRESH_TOKEN',
    );
    expect(await answers(tabletSession.accessToken)).toEqual([
      '/devices 401 UNAUTHENTICATED',
      '/conversations 401 UNAUTHENTICATED',
      '/events 401 UNAUTHENTICATED',
    ]);
    expect(await answers(thief.api.session?.accessToken ?? '')).toEqual([
      '/devices 401 UNAUTHENTICATED',
      '/conversations 401 UNAUTHENTICATED',
      '/events 401 UNAUTHENTICATED',
    ]);

    // This device stays signed in, refresh included; the devices stay listed.
    await alice.client.api.refresh();
    expect((await alice.client.devices()).map((d) => d.name).sort()).toEqual([
      'alice device',
      'probe',
      'tablet',
      'thief',
    ]);
    expect((await rejection(loginAs(alice.client.username, PASSWORD))).code).toBe(
      'INVALID_CREDENTIALS',
    );
    await loginAs(alice.client.username, NEW_PASSWORD);
    alice.client.stop();
  });
});

describe('signing out every other device', () => {
  it('ends their sessions and streams at once, keeps them listed and this device signed in; an uncertified device may not', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const tablet = await secondDevice(alice, 'tablet');
    const statuses: string[] = [];
    tablet.client.on('status', (s) => statuses.push(s));
    await Promise.all([alice.client.start(), tablet.client.start()]);
    const thief = await thiefOf(alice);
    expect((await rejection(thief.api.signOutOtherDevices())).code).toBe('DEVICE_NOT_CERTIFIED');
    expect(statuses.at(-1)).toBe('live');
    const tabletSession = tablet.client.api.session;
    if (!tabletSession) throw new Error('no session');

    expect(await alice.client.signOutOtherDevices()).toBe(2);
    await waitFor(() => statuses.at(-1) === 'closed', "the tablet's stream to end for good");
    expect(await answers(tabletSession.accessToken)).toEqual([
      '/devices 401 UNAUTHENTICATED',
      '/conversations 401 UNAUTHENTICATED',
      '/events 401 UNAUTHENTICATED',
    ]);
    expect((await rejection(tablet.client.devices())).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await alice.client.devices()).map((d) => d.name).sort()).toEqual([
      'alice device',
      'tablet',
      'thief',
    ]);
    await alice.client.api.refresh();
    expect((await alice.client.conversations()).length).toBe(0);
    alice.client.stop();
    tablet.client.stop();
  });
});

describe('deleting the account', () => {
  it("needs the password and a certified device, erases the account's keys and data, and the peer removes its devices and sees why", async () => {
    const alice = await registerClient(platform.url, 'alice');
    const bob = await registerClient(platform.url, 'bob');
    const deleted: string[] = [];
    bob.client.on('accountDeleted', (e) => deleted.push(`${e.username} in ${e.conversationId}`));
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    await alice.client.sendText(conv.id, 'goodbye soon');
    await waitForTexts(bob, conv.id, alice.client.userId, 1);
    await alice.client.flushBackup();
    const thief = await thiefOf(alice);
    const aliceSession = alice.client.api.session;
    if (!aliceSession) throw new Error('no session');

    expect((await rejection(thief.api.deleteAccount(PASSWORD))).code).toBe('DEVICE_NOT_CERTIFIED');
    expect((await rejection(alice.client.deleteAccount('not the password'))).code).toBe(
      'WRONG_PASSWORD',
    );
    expect((await bob.client.searchUsers(alice.client.username)).map((u) => u.id)).toEqual([
      alice.client.userId,
    ]);
    const epochBefore = (await bob.client.groupState(conv.id))?.epoch ?? -1n;

    await alice.client.deleteAccount(PASSWORD);

    // Bob's device removes alice's leaves with a commit and is told, with her name.
    await waitFor(() => deleted.length === 1, 'bob to learn of the deletion');
    expect(deleted).toEqual([`${alice.client.username} in ${conv.id}`]);
    await bob.client.idle();
    expect((await bob.client.groupState(conv.id))?.epoch).toBe(epochBefore + 1n);
    const { commits } = await bob.client.api.commits(conv.id, Number(epochBefore));
    expect(commits.map((c) => c.senderUserId)).toEqual([bob.client.userId]);
    const [listed] = await bob.client.conversations();
    expect(listed?.peer).toEqual({
      userId: alice.client.userId,
      username: alice.client.username,
      deleted: true,
    });

    // Sending there answers a clear code; the history bob had stays.
    const send = await rejection(
      bob.client.api.sendMessage(conv.id, { txnId: 'after-deletion', ciphertext: 'AAAA' }),
    );
    expect([send.status, send.code]).toEqual([410, 'PEER_DELETED']);

    // Alice's tokens are refused everywhere at once; she cannot log in; nobody can take her
    // username.
    expect(await answers(aliceSession.accessToken)).toEqual([
      '/devices 401 DEVICE_REVOKED',
      '/conversations 401 DEVICE_REVOKED',
      '/events 401 DEVICE_REVOKED',
    ]);
    expect((await refreshWith(aliceSession.refreshToken)).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await rejection(loginAs(alice.client.username, PASSWORD))).code).toBe(
      'INVALID_CREDENTIALS',
    );
    const again = await rejection(
      new RchatApi({ baseUrl: platform.url }).register({
        username: alice.client.username,
        password: PASSWORD,
        device: { name: 'impostor' },
      }),
    );
    expect(again.code).toBe('USERNAME_TAKEN');
    expect((await rejection(bob.client.api.getUser(alice.client.userId))).code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await rejection(bob.client.api.userKeys(alice.client.userId))).code).toBe(
      'USER_NOT_FOUND',
    );
    expect(await bob.client.searchUsers(alice.client.username)).toEqual([]);

    // Nothing of hers is left in the key directory, the backups or the sessions.
    const left = await platform.users.database.rows<{ n: string | number }>(sql`
      select (select count(*) from key_packages where user_id = ${alice.client.userId})
        + (select count(*) from secret_storage where user_id = ${alice.client.userId})
        + (select count(*) from backup_entries where user_id = ${alice.client.userId})
        + (select count(*) from refresh_tokens where user_id = ${alice.client.userId})
        + (select count(*) from devices where user_id = ${alice.client.userId} and (revoked_at is null or certificate is not null))
        + (select count(*) from users where id = ${alice.client.userId} and identity_key is not null) as n`);
    expect(Number(left[0]?.n)).toBe(0);
    // This device's local copy is gone too.
    expect(await RchatClient.restore({ baseUrl: platform.url, storage: alice.storage })).toBeNull();
    expect(await alice.storage.list(`acct/${alice.client.userId}/`)).toEqual([]);
    bob.client.stop();
  });
});

describe('a chat instance that missed the deletion on the bus', () => {
  it('applies it from the users service when it starts', async () => {
    const carol = await registerClient(platform.url, 'carol');
    const dave = await loginDevice(
      platform.url,
      (await registerClient(platform.url, 'dave')).client.username,
      'dave laptop',
    );
    const conv = await dave.api.createConversation(carol.client.userId);
    await carol.client.deleteAccount(PASSWORD);
    const deletedEntries = async () =>
      (await dave.api.inbox(0)).entries.filter(
        (e) => e.type === 'account-deleted' && e.conversationId === conv.id,
      ).length;
    await waitFor(
      async () => (await deletedEntries()) === 1,
      'the running chat service to record the deletion',
    );

    // As if no chat instance had been running: the deletion not yet recorded.
    await platform.chat.database.rows(
      sql`update conversation_members set deleted_at = null where user_id = ${carol.client.userId}`,
    );
    expect(
      (await dave.api.conversation(conv.id)).members.find((m) => m.userId === carol.client.userId)
        ?.deleted,
    ).toBe(false);
    const logger = createLogger({ level: 'silent', name: 'late-chat' });
    const late = await createChatService(loadChatConfig({}), logger, {
      bus: createMemoryBus(), // hears nothing the platform published
      users: { getUser: async () => null },
      deletedAccounts: platform.users.deletedAccounts,
      database: platform.chat.database,
    });
    await late.close();
    expect(
      (await dave.api.conversation(conv.id)).members.find((m) => m.userId === carol.client.userId)
        ?.deleted,
    ).toBe(true);
    expect(await deletedEntries()).toBe(2);
    expect(
      (await rejection(dave.api.sendMessage(conv.id, { txnId: 'late', ciphertext: 'AAAA' }))).code,
    ).toBe('PEER_DELETED');
  });
});
