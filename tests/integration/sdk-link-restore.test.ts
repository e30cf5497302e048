import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLinkOffer, fromBase64, toBase64 } from '@rchat/crypto';
import {
  RchatApi,
  RchatClient,
  RchatError,
  createMemoryStorage,
  type ChatMessage,
} from '@rchat/sdk';
import { startPlatform, type Platform } from '../support/platform.ts';
import {
  observe,
  registerClient,
  reopen,
  waitForTexts,
  type TestClient,
} from '../support/clients.ts';
import { PASSWORD, waitFor } from '../support/users.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => platform?.close());

const options = (deviceName: string, extra: { fetch?: typeof fetch } = {}) => ({
  baseUrl: platform.url,
  storage: createMemoryStorage(),
  deviceName,
  ...extra,
});
const codeOf = (e: unknown) => (e instanceof RchatError ? e.code : String(e));
const failure = (p: Promise<unknown>) => p.then(() => 'resolved', codeOf);
const readable = (messages: ChatMessage[]) =>
  messages.map((m) => (m.content.kind === 'text' ? m.content.text : `<${m.content.kind}>`));

/** alice and bob with a conversation holding two messages each way, and alice's backup written. */
async function pair(): Promise<{ alice: TestClient; bob: TestClient; conversationId: string }> {
  const alice = await registerClient(platform.url, 'alice');
  const bob = await registerClient(platform.url, 'bob');
  await Promise.all([alice.client.start(), bob.client.start()]);
  const conv = await alice.client.startConversation({ userId: bob.client.userId });
  await alice.client.sendText(conv.id, 'a1');
  await waitForTexts(bob, conv.id, alice.client.userId, 1);
  await bob.client.sendText(conv.id, 'b1');
  await bob.client.sendText(conv.id, 'b2');
  await waitForTexts(alice, conv.id, bob.client.userId, 2);
  await alice.client.flushBackup();
  return { alice, bob, conversationId: conv.id };
}

describe('linking a device (SDK)', () => {
  it('links with a typed code: equal check codes, the new device reads old history and new messages live', async () => {
    const { alice, bob, conversationId } = await pair();
    const link = await RchatClient.startLink(options('laptop'), alice.client.username, PASSWORD);
    expect(link.code).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);

    const answered = await alice.client.linkDevice(link.code.toLowerCase().replace(/-/g, ' '));
    expect(answered.deviceName).toBe('laptop');
    expect(await link.waitForCheckCode()).toBe(answered.checkCode);
    // The person confirms the check code on both devices.
    await link.confirmCheckCode();
    const [laptopClient, result] = await Promise.all([link.complete(), answered.confirm()]);
    expect(result).toEqual({ deviceId: laptopClient.deviceId, conversations: 1 });
    expect(laptopClient.identityKeyPair.publicKey).toEqual(alice.client.identityKeyPair.publicKey);

    const laptop = observe(laptopClient, createMemoryStorage());
    await laptop.client.start();
    await waitFor(
      async () => (await laptop.client.conversations())[0]?.encryption === 'ready',
      'the laptop joins the conversation',
    );
    // History from before the laptop existed comes from the backup.
    expect(readable((await laptop.client.history(conversationId)).messages)).toEqual([
      'a1',
      'b1',
      'b2',
    ]);

    await bob.client.sendText(conversationId, 'to all of alice');
    expect(await waitForTexts(laptop, conversationId, bob.client.userId, 1)).toEqual([
      'to all of alice',
    ]);
    expect(await waitForTexts(alice, conversationId, bob.client.userId, 3)).toContain(
      'to all of alice',
    );
    for (const t of [alice, bob, laptop]) t.client.stop();
  });

  it('a mistyped code is refused, and a link answered by a third party shows different check codes; aborting shares nothing', async () => {
    const { alice, bob } = await pair();
    const devicesBefore = (await alice.client.devices()).length;
    const link = await RchatClient.startLink(options('phone'), alice.client.username, PASSWORD);
    const typo = link.code.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await failure(alice.client.linkDevice(typo))).toBe('LINK_CODE_INVALID');

    // Someone who has alice's password (or the server itself) answers the new device first, with
    // its own key.
    const intruder = new RchatApi({ baseUrl: platform.url });
    await intruder.login({
      username: alice.client.username,
      password: PASSWORD,
      device: { name: 'intruder' },
    });
    const [session] = (await intruder.linkSessions()).sessions;
    const offerMessage = (await intruder.linkMessages(session!.id)).messages[0]!;
    const offer = JSON.parse(new TextDecoder().decode(fromBase64(offerMessage.ciphertext))) as {
      publicKey: string;
    };
    const intrusion = await answerLinkOffer(session!.id, fromBase64(offer.publicKey)!);
    await intruder.postLinkMessage(
      session!.id,
      toBase64(
        new TextEncoder().encode(JSON.stringify({ t: 'answer', enc: toBase64(intrusion.enc) })),
      ),
    );

    const answered = await alice.client.linkDevice(link.code);
    const shownOnNewDevice = await link.waitForCheckCode();
    expect(shownOnNewDevice).toBe(intrusion.channel.checkCode);
    expect(shownOnNewDevice).not.toBe(answered.checkCode);
    // The user sees the codes differ and cancels on the signed-in device.
    const completion = failure(link.complete());
    await answered.abort();
    expect(await completion).toBe('LINK_ABORTED');
    const relayed = (await intruder.linkMessages(session!.id)).messages.map(
      (m) => (JSON.parse(new TextDecoder().decode(fromBase64(m.ciphertext))) as { t: string }).t,
    );
    expect(relayed).not.toContain('sealed');
    // The failed link took the half-linked device off the account by itself; the intruder's
    // password sign-in stays visible in the device list for alice to remove.
    const names = (await alice.client.devices()).map((d) => d.name);
    expect(names).not.toContain('phone');
    expect(names).toContain('intruder');
    expect(names).toHaveLength(devicesBefore + 1);
    alice.client.stop();
    bob.client.stop();
  });
});

describe('restoring from the recovery key (SDK)', () => {
  it('a wrong key changes nothing; the right key (or passphrase) brings back identity and history, and peers add the device', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const recoveryKey = alice.client.takeRecoveryKey();
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect(alice.client.takeRecoveryKey()).toBeNull();
    const bob = await registerClient(platform.url, 'bob');
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    await alice.client.sendText(conv.id, 'a1');
    await bob.client.sendText(conv.id, 'b1');
    await waitForTexts(alice, conv.id, bob.client.userId, 1);
    await alice.client.flushBackup();
    await expect(alice.client.setPassphrase('short')).rejects.toThrow(/at least 10/);
    await alice.client.setPassphrase('a long backup passphrase');
    const devicesBefore = (await alice.client.devices()).map((d) => d.id).sort();

    expect(
      await failure(
        RchatClient.restoreFromRecoveryKey(options('new'), alice.client.username, PASSWORD, {
          recoveryKey: bob.client.takeRecoveryKey()!,
        }),
      ),
    ).toBe('RECOVERY_KEY_WRONG');
    expect(
      await failure(
        RchatClient.restoreFromRecoveryKey(options('new'), alice.client.username, PASSWORD, {
          recoveryKey: 'AAAA-BBBB',
        }),
      ),
    ).toBe('RECOVERY_KEY_WRONG');
    expect(
      await failure(
        RchatClient.restoreFromRecoveryKey(options('new'), alice.client.username, PASSWORD, {
          passphrase: 'a wrong backup passphrase',
        }),
      ),
    ).toBe('RECOVERY_KEY_WRONG');
    expect((await alice.client.devices()).map((d) => d.id).sort()).toEqual(devicesBefore);

    // Alice's only device is gone (offline for good); bob's device adds the restored one.
    alice.client.stop();
    const restoredClient = await RchatClient.restoreFromRecoveryKey(
      options('restored'),
      alice.client.username,
      PASSWORD,
      { recoveryKey: recoveryKey! },
    );
    expect(restoredClient.backupWarnings).toEqual([]);
    expect(restoredClient.identityKeyPair.publicKey).toEqual(
      alice.client.identityKeyPair.publicKey,
    );
    expect(readable((await restoredClient.history(conv.id)).messages)).toEqual(['a1', 'b1']);
    const restored = observe(restoredClient, createMemoryStorage());
    await restored.client.start();
    await waitFor(
      async () => (await restored.client.conversations())[0]?.encryption === 'ready',
      'bob adds the restored device',
    );
    await bob.client.sendText(conv.id, 'welcome back');
    expect(await waitForTexts(restored, conv.id, bob.client.userId, 1)).toEqual(['welcome back']);
    await restored.client.sendText(conv.id, 'thanks');
    expect(await waitForTexts(bob, conv.id, alice.client.userId, 2)).toEqual(['a1', 'thanks']);
    // The safety number bob sees is unchanged: same identity key.
    expect((await bob.client.safetyNumber(conv.id)).identityKeyChanged).toBe(false);

    const byPassphrase = await RchatClient.restoreFromRecoveryKey(
      options('third'),
      alice.client.username,
      PASSWORD,
      { passphrase: 'a long backup passphrase' },
    );
    expect(readable((await byPassphrase.history(conv.id)).messages).slice(0, 2)).toEqual([
      'a1',
      'b1',
    ]);
    restored.client.stop();
    bob.client.stop();
    // Three argon2id stretches at 64 MiB, 3 passes (set, wrong, right) take tens of seconds on a
    // busy machine.
  }, 180_000);

  it('rejects a tampered backup entry by its signature and shows the rest', async () => {
    const alice = await registerClient(platform.url, 'alice');
    const recoveryKey = alice.client.takeRecoveryKey()!;
    const bob = await registerClient(platform.url, 'bob');
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    for (const text of ['one', 'two', 'three']) await bob.client.sendText(conv.id, text);
    await waitForTexts(alice, conv.id, bob.client.userId, 3);
    await alice.client.flushBackup();
    alice.client.stop();

    // The server (or anyone on the path) alters the second entry.
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (
        !String(input instanceof Request ? input.url : input).includes('/backup/entries') ||
        (init?.method ?? 'GET') !== 'GET'
      )
        return res;
      const body = (await res.json()) as { entries: { entry: string }[] };
      const target = body.entries[1];
      if (target) {
        const bytes = fromBase64(target.entry)!;
        bytes[bytes.length - 80]! ^= 1;
        target.entry = toBase64(bytes);
      }
      return new Response(JSON.stringify(body), {
        status: res.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const restored = await RchatClient.restoreFromRecoveryKey(
      options('restored', { fetch: tampering }),
      alice.client.username,
      PASSWORD,
      { recoveryKey },
    );
    expect(restored.backupWarnings).toEqual([
      expect.stringMatching(/1 message backup entry was rejected/),
    ]);
    expect(readable((await restored.history(conv.id)).messages)).toEqual([
      'one',
      '<unavailable>',
      'three',
    ]);
    bob.client.stop();
    restored.stop();
  });

  it('keeps backup entries it could not write and writes them on the next start', async () => {
    let backupDown = true;
    const flaky: typeof fetch = async (input, init) =>
      backupDown &&
      String(input instanceof Request ? input.url : input).includes('/backup/entries') &&
      init?.method === 'POST'
        ? new Response(
            JSON.stringify({ error: { code: 'INTERNAL', message: 'The backup store is down.' } }),
            { status: 503, headers: { 'content-type': 'application/json' } },
          )
        : fetch(input, init);
    const alice = await registerClient(platform.url, 'alice', { fetch: flaky });
    const recoveryKey = alice.client.takeRecoveryKey()!;
    const bob = await registerClient(platform.url, 'bob');
    await Promise.all([alice.client.start(), bob.client.start()]);
    const conv = await alice.client.startConversation({ userId: bob.client.userId });
    await waitFor(
      async () => (await bob.client.conversations())[0]?.encryption === 'ready',
      'bob joins the conversation',
    );
    await bob.client.sendText(conv.id, 'kept for later');
    await waitForTexts(alice, conv.id, bob.client.userId, 1);
    await alice.client.flushBackup();
    expect(alice.warnings.some((w) => w.includes('message backup could not be written'))).toBe(
      true,
    );
    alice.client.stop();

    // The app is opened again later, with the backup store back.
    backupDown = false;
    const again = await reopen(platform.url, alice);
    await again.client.start();
    await again.client.flushBackup();
    again.client.stop();
    const restored = await RchatClient.restoreFromRecoveryKey(
      options('restored'),
      alice.client.username,
      PASSWORD,
      { recoveryKey },
    );
    expect(readable((await restored.history(conv.id)).messages)).toEqual(['kept for later']);
    bob.client.stop();
  });
});
