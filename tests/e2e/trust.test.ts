import type { Page } from 'playwright-core';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe, registerClient, waitForTexts, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import {
  PASSWORD,
  conversationItem,
  logIn,
  messageLog,
  register,
  send,
  shownRecoveryKey,
  signedIn,
  startConversation,
  uniqueName,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const details = (page: Page) => page.getByRole('region', { name: 'Conversation details' });
const deviceItems = (page: Page) =>
  details(page).getByRole('list', { name: 'Devices in this conversation' }).getByRole('listitem');
const messageBox = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const sendButton = (page: Page) => page.getByRole('button', { name: 'Send', exact: true });
const identityBanner = (page: Page) =>
  page.getByRole('alert').filter({ hasText: 'encryption identity changed' });
/** The open conversation's system lines (device changes, alerts), in order. */
const systemLines = (page: Page) => messageLog(page).locator('.system-line').allInnerTexts();
const FINGERPRINT = /[0-9a-f]{4}( [0-9a-f]{4}){7}/;

/**
 * The texts of the items in the open conversation's "Devices in this conversation" list, once it
 * lists `count`.
 */
async function listedDevices(page: Page, count: number): Promise<string[]> {
  await expect.poll(() => deviceItems(page).count(), { timeout: 30_000 }).toBe(count);
  return deviceItems(page).allInnerTexts();
}

/**
 * Alice on the web, bob on the Node SDK. Bob adds a device; bob then loses
 * everything and resets his encryption identity: alice's browser blocks
 * sending until she accepts. Then alice's own identity is reset from
 * elsewhere: her browser returns to the login page, and she resets it back.
 */
describe('web client: trust in the devices of a conversation', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bob: TestClient;
  let bobAfterReset: TestClient | undefined;
  const started: RchatClient[] = [];
  let conversationId = '';
  const aliceName = uniqueName('alice');

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    await alice.goto(platform.url);
    await register(alice, aliceName);
    bob = await registerClient(platform.url, 'bob');
    await bob.client.start();
    started.push(bob.client);
    await startConversation(alice, bob.client.username);
    await send(alice, 'hello bob');
    const [conversation] = await bob.client.conversations();
    if (!conversation) throw new Error('Bob has no conversation');
    conversationId = conversation.id;
    await waitForTexts(bob, conversationId, conversation.peer.userId, 1);
  });

  afterAll(async () => {
    for (const client of started) client.stop();
    await tb?.close();
    await platform?.close();
  });

  it('lists every device of the conversation in its details, with owner, name, date and the same fingerprint both sides see', async () => {
    await alice.getByRole('button', { name: 'Details', exact: true }).click();
    const items = await listedDevices(alice, 2);
    const [bobsItem, ownItem] = items;
    expect(bobsItem).toContain(bob.client.username);
    expect(bobsItem).toContain('bob device');
    expect(bobsItem).toMatch(/Added \d/);
    expect(ownItem).toContain(aliceName);
    expect(ownItem).toContain('(this device)');
    expect(bobsItem).not.toContain('(this device)');
    // The fingerprint of bob's device key is the one bob's own device shows for it.
    const bobsView = await bob.client.conversationDevices(conversationId);
    const bobsDevice = bobsView.find((d) => d.current);
    expect(bobsDevice?.fingerprint).toMatch(FINGERPRINT);
    expect(bobsItem).toContain(bobsDevice?.fingerprint);
    expect(ownItem).toContain(bobsView.find((d) => !d.current)?.fingerprint);
  });

  it("shows bob's new device as a line naming bob (whichever member's device added it), and in the device list", async () => {
    // Bob restores a second device from his recovery key: a member device (his, or alice's browser)
    // adds it.
    const recoveryKey = bob.client.takeRecoveryKey();
    if (!recoveryKey) throw new Error('bob has no recovery key');
    const tablet = await RchatClient.restoreFromRecoveryKey(
      { baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'bob tablet' },
      bob.client.username,
      PASSWORD,
      { recoveryKey },
    );
    started.push(tablet);
    await tablet.start();
    await waitForText(messageLog(alice), `${bob.client.username} added a device`, 30_000);
    // The first line is from the start: alice's browser made the group with bob's device in it.
    expect(await systemLines(alice)).toEqual([
      `${bob.client.username}'s device joined the conversation`,
      `${bob.client.username} added a device`,
    ]);
    const items = await listedDevices(alice, 3);
    expect(items.filter((i) => i.includes('bob tablet'))).toHaveLength(1);
  });

  it("blocks sending after bob resets his encryption identity, until alice accepts; then bob's new device reads her message", async () => {
    // Bob lost every device and his recovery key: a reset, from a fresh device.
    const storage = createMemoryStorage();
    bobAfterReset = observe(
      await RchatClient.resetIdentity(
        { baseUrl: platform.url, storage, deviceName: 'bob new phone' },
        bob.client.username,
        PASSWORD,
      ),
      storage,
    );
    started.push(bobAfterReset.client);
    await bobAfterReset.client.start();

    const banner = identityBanner(alice);
    await waitForText(banner, `${bob.client.username}'s encryption identity changed`, 30_000);
    await waitForText(banner, 'reset on');
    // The log keeps it too, as a warning line.
    await waitForText(
      messageLog(alice).locator('.system-line.warning'),
      `${bob.client.username}'s encryption identity changed`,
    );
    expect(await messageBox(alice).isDisabled()).toBe(true);
    expect(await sendButton(alice).isDisabled()).toBe(true);
    await waitForText(
      alice.locator('.composer'),
      `You cannot send messages here until you accept ${bob.client.username}'s new encryption identity`,
    );
    await waitForText(conversationItem(alice, bob.client.username), 'encryption identity changed');

    // Compare safety numbers: the details open with the number.
    await alice.getByRole('button', { name: 'Details', exact: true }).click();
    await details(alice).waitFor({ state: 'detached' });
    await banner.getByRole('button', { name: 'Compare safety numbers' }).click();
    await details(alice)
      .getByLabel(/^Safety number: /)
      .waitFor();

    await banner.getByRole('button', { name: 'Accept' }).click();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => messageBox(alice).isDisabled(), { timeout: 30_000 }).toBe(false);
    await send(alice, 'after accepting');
    const [conversation] = await bobAfterReset.client.conversations();
    expect(
      await waitForTexts(bobAfterReset, conversation?.id ?? '', conversation?.peer.userId ?? '', 1),
    ).toEqual(['after accepting']);
    // Bob's old devices were signed out by the reset: only the new one is in the conversation.
    const items = await listedDevices(alice, 2);
    expect(items.some((i) => i.includes('bob new phone'))).toBe(true);
    expect(items.some((i) => i.includes('bob tablet') || i.includes('bob device'))).toBe(false);
  });

  it("returns to the login page when someone resets alice's identity, and she resets it back from there", async () => {
    const intruder = await RchatClient.resetIdentity(
      { baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'intruder' },
      aliceName,
      PASSWORD,
    );
    intruder.stop();
    await waitForText(
      alice.getByRole('alert'),
      "Someone reset your account's encryption identity",
      30_000,
    );
    await alice.getByLabel('Username').waitFor();

    // She has no other device and no recovery key that works any more: she resets it herself.
    await logIn(alice, aliceName);
    await alice
      .getByRole('heading', { name: 'This browser is a new device' })
      .waitFor({ timeout: 30_000 });
    await alice.getByRole('button', { name: 'Reset encryption identity' }).click();
    await waitForText(alice.locator('.reset-warning'), 'does not bring your old messages back');
    const confirm = alice.getByRole('button', { name: 'Reset and make a new recovery key' });
    await confirm.click();
    await waitForText(alice.getByRole('alert').filter({ hasText: 'Tick the box' }), 'Tick the box');
    await alice.getByRole('checkbox', { name: /I understand/ }).check();
    await confirm.click();
    expect(await shownRecoveryKey(alice)).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    await waitForText(alice.locator('form'), 'the old key and passphrase no longer work');
    await alice.getByRole('button', { name: 'I have saved it' }).click();
    await signedIn(alice, aliceName);

    // Bob is told, and cannot send to her until he accepts.
    const peer = bobAfterReset?.client;
    if (!peer) throw new Error('bob has no device');
    await expect
      .poll(async () => (await peer.conversations())[0]?.encryption, { timeout: 30_000 })
      .toBe('identity-changed');
    await expect(peer.sendText(conversationId, 'not yet')).rejects.toMatchObject({
      code: 'IDENTITY_CHANGED',
    });
  });

  it('logs no errors in the browser console but the requests refused to the signed-out session', () => {
    expect(consoleErrors([alice], { failedRequests: true, epochConflicts: true })).toEqual([]);
  });
});
