import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { formatLinkCode, generateRecoveryKey } from '@rchat/crypto';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import {
  PASSWORD,
  conversationItem,
  logIn,
  messageLog,
  register,
  signedIn,
  startConversation,
  uniqueName,
  waitForMessage,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const devicesDialog = (page: Page) => page.getByRole('dialog', { name: 'Your devices' });
const deviceItems = (page: Page) =>
  devicesDialog(page).getByRole('list', { name: 'Your devices' }).getByRole('listitem');
const alertIn = (page: Page, text: string) => page.getByRole('alert').filter({ hasText: text });
const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

/** The texts of the open conversation's log, messages and system lines, in order. */
const logLines = (page: Page) =>
  messageLog(page).locator('.message-text, .system-line').allInnerTexts();

async function openDevices(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Devices' }).click();
  await devicesDialog(page).waitFor();
}

async function closeDevices(page: Page): Promise<void> {
  await devicesDialog(page).getByRole('button', { name: 'Close' }).click();
  await devicesDialog(page).waitFor({ state: 'detached' });
}

/** The ids of the devices the open Devices dialog lists, once it has loaded them. */
async function listedDeviceIds(page: Page): Promise<(string | null)[]> {
  await deviceItems(page).first().waitFor();
  return deviceItems(page).evaluateAll((items) =>
    items.map((i) => i.getAttribute('data-device-id')),
  );
}

/** The account's devices as the Devices dialog lists them when opened now. */
async function devicesNow(page: Page): Promise<(string | null)[]> {
  await openDevices(page);
  const ids = await listedDeviceIds(page);
  await closeDevices(page);
  return ids;
}

/** Types a code under "Link a new device" and presses Continue. */
async function typeLinkCode(page: Page, code: string): Promise<void> {
  await devicesDialog(page).getByLabel('Code from the new device').fill(code);
  await devicesDialog(page).getByRole('button', { name: 'Continue' }).click();
}

/** Logs in on a browser without the account's keys and picks one of the two ways forward. */
async function asNewDevice(
  page: Page,
  url: string,
  username: string,
  way: 'Link from a signed-in device' | 'Restore from recovery key',
): Promise<void> {
  await page.goto(url);
  await logIn(page, username);
  await page.getByRole('button', { name: way }).click({ timeout: 30_000 });
}

/**
 * Alice registers in one browser context, links a second, restores a third
 * from her recovery key and removes the second; Bob is on the Node SDK.
 */
describe('web client: devices', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let second: Page;
  let third: Page;
  let bob: TestClient;
  let recoveryKey = '';
  let conversationId = '';
  const aliceName = uniqueName('alice');
  const pages: Page[] = [];

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    pages.push(alice);
    await alice.goto(platform.url);
    recoveryKey = await register(alice, aliceName);
    bob = await registerClient(platform.url, 'bob');
    await bob.client.start();
    await startConversation(alice, bob.client.username);
    const [conversation] = await bob.client.conversations();
    if (!conversation) throw new Error('Bob has no conversation');
    conversationId = conversation.id;
  });

  afterAll(async () => {
    bob?.client.stop();
    await tb?.close();
    await platform?.close();
  });

  /** A new browser waiting to be linked, its code typed in alice's open Devices dialog. */
  async function linkingBrowser(): Promise<Page> {
    const page = await tb.newPage(await tb.newContext());
    pages.push(page);
    await asNewDevice(page, platform.url, aliceName, 'Link from a signed-in device');
    const code = page.locator('.link-code');
    await code.waitFor({ timeout: 30_000 });
    await openDevices(alice);
    await typeLinkCode(alice, (await code.textContent()) ?? '');
    return page;
  }

  it('lists this device in the Devices dialog, which opens and closes by keyboard', async () => {
    const button = alice.getByRole('button', { name: 'Devices' });
    await button.focus();
    await alice.keyboard.press('Enter');
    await devicesDialog(alice).waitFor();
    await expect.poll(() => deviceItems(alice).count()).toBe(1);
    const item = deviceItems(alice).first();
    await waitForText(item, 'This device');
    expect(await item.getAttribute('aria-current')).toBe('true');
    expect(await item.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await alice.keyboard.press('Escape');
    await devicesDialog(alice).waitFor({ state: 'detached' });
    expect(await alice.evaluate(() => document.activeElement?.textContent)).toBe('Devices');
  });

  it('shows a system line, in order with the messages, when the peer adds or removes a device', async () => {
    await bob.client.sendText(conversationId, 'before the tablet');
    await waitForMessage(alice, 'before the tablet');

    const tablet = await RchatClient.loginWithIdentity(
      { baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'tablet' },
      bob.client.username,
      PASSWORD,
      bob.client.identityKeyPair,
    );
    await tablet.start();
    expect(await bob.client.addDeviceToConversations(tablet.deviceId)).toBe(1);
    await waitForText(messageLog(alice), `${bob.client.username} added a device`);
    await bob.client.sendText(conversationId, 'with the tablet');
    await waitForMessage(alice, 'with the tablet');

    await bob.client.removeDevice(tablet.deviceId);
    await waitForText(messageLog(alice), `${bob.client.username} removed a device`);
    tablet.stop();
    await bob.client.sendText(conversationId, 'without the tablet');
    await waitForMessage(alice, 'without the tablet');
    expect(await logLines(alice)).toEqual([
      `${bob.client.username}'s device joined the conversation`,
      'before the tablet',
      `${bob.client.username} added a device`,
      'with the tablet',
      `${bob.client.username} removed a device`,
      'without the tablet',
    ]);
    // A device change does not change the safety number, so no identity warning appears.
    expect(await alertIn(alice, 'safety number has changed').count()).toBe(0);
  });

  it('links a second browser: the code typed on the first, the same check code on both, then both receive live', async () => {
    second = await tb.newPage(await tb.newContext());
    pages.push(second);
    await asNewDevice(second, platform.url, aliceName, 'Link from a signed-in device');
    const codeOnScreen = second.locator('.link-code');
    await codeOnScreen.waitFor({ timeout: 30_000 });
    const code = (await codeOnScreen.textContent()) ?? '';
    expect(code).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
    await second.getByRole('img', { name: /^QR code of the link code/ }).waitFor();

    await openDevices(alice);
    const before = await listedDeviceIds(alice);
    // A typo (a character left out) and a well-formed code no device is waiting with: clear errors,
    // nothing changes.
    await typeLinkCode(alice, code.slice(0, -1));
    await waitForText(alertIn(alice, 'typo'), 'This code has a typo.');
    await typeLinkCode(alice, formatLinkCode(randomUUID(), randomBytes(32)));
    await waitForText(
      alertIn(alice, 'waiting'),
      'No new device of yours is waiting with this code.',
    );
    await devicesDialog(alice).getByRole('button', { name: 'Close' }).focus();
    expect(await listedDeviceIds(alice)).toEqual(before);

    // Typed in lower case without dashes: the code is read all the same.
    await typeLinkCode(alice, code.toLowerCase().replace(/-/g, ''));
    const checkOnAlice = devicesDialog(alice).locator('.check-code');
    await checkOnAlice.waitFor({ timeout: 30_000 });
    const checkOnSecond = second.locator('.check-code');
    await checkOnSecond.waitFor({ timeout: 30_000 });
    await waitForText(
      second
        .getByRole('status')
        .filter({ hasText: 'Check that your other device shows the same code' }),
      'Check that',
    );
    expect(digits(await checkOnAlice.textContent())).toMatch(/^\d{6}$/);
    expect(digits(await checkOnSecond.textContent())).toBe(
      digits(await checkOnAlice.textContent()),
    );

    // Confirmed on the signed-in browser first: it waits for the new one, which has received
    // nothing yet.
    await devicesDialog(alice).getByRole('button', { name: 'Codes match — link' }).click();
    await waitForText(
      devicesDialog(alice).getByRole('status'),
      'Waiting for the new device to confirm…',
    );
    await second.getByRole('button', { name: 'The codes match' }).click();
    await waitForText(
      devicesDialog(alice).getByRole('status'),
      'Linked. Added to 1 conversation.',
      60_000,
    );
    await signedIn(second, aliceName);
    // The new browser was in the list from its login on (a device without keys until now); it is
    // the same device.
    expect(before).toHaveLength(2);
    expect(await listedDeviceIds(alice)).toEqual(before);
    await closeDevices(alice);

    await conversationItem(second, bob.client.username)
      .getByRole('link')
      .click({ timeout: 30_000 });
    await expect
      .poll(async () => (await second.locator('.conversation-sub').textContent()) ?? '', {
        timeout: 30_000,
      })
      .toContain('End-to-end encrypted');
    await bob.client.sendText(conversationId, 'to both of your browsers');
    await waitForMessage(alice, 'to both of your browsers');
    await waitForMessage(second, 'to both of your browsers');
  });

  it('cancels when the check codes differ: nothing is shared, and both browsers say so', async () => {
    const stranger = await linkingBrowser();
    await stranger.locator('.check-code').waitFor({ timeout: 30_000 });
    await devicesDialog(alice).getByRole('button', { name: 'They differ — cancel' }).click();
    await waitForText(
      devicesDialog(alice).getByRole('status'),
      'Cancelled. Nothing was shared with the new device.',
    );
    await waitForText(
      alertIn(stranger, 'cancelled'),
      'Your other device cancelled linking, so nothing was shared.',
      30_000,
    );
    // The refused browser is off the account at once, before it leaves the link step.
    await closeDevices(alice);
    await expect.poll(async () => (await devicesNow(alice)).length, { timeout: 20_000 }).toBe(2);
    await stranger.getByRole('button', { name: 'Cancel' }).click();
    await stranger.getByRole('heading', { name: 'This browser is a new device' }).waitFor();
    await stranger.context().close();
  });

  it('stops when the new browser says the codes differ, although the signed-in one confirmed: nothing is shared', async () => {
    const stranger = await linkingBrowser();
    await devicesDialog(alice).getByRole('button', { name: 'Codes match — link' }).click();
    await waitForText(
      devicesDialog(alice).getByRole('status'),
      'Waiting for the new device to confirm…',
    );
    await stranger.getByRole('button', { name: 'They differ' }).click();
    await waitForText(
      stranger.getByRole('status'),
      'Not linked: the codes differed, so nothing was shared and this browser is not signed in.',
    );
    await waitForText(
      alertIn(alice, 'cancelled'),
      'The new device cancelled linking, so nothing was shared.',
      30_000,
    );
    expect(await devicesDialog(alice).locator('.check-code').count()).toBe(0);
    await closeDevices(alice);
    // The browser that said no is off the account at once, without leaving its page.
    await expect.poll(async () => (await devicesNow(alice)).length, { timeout: 20_000 }).toBe(2);
    await stranger.getByRole('button', { name: 'Start again' }).waitFor();
    await stranger.context().close();
  });

  it('restores a third browser from the recovery key, after a wrong key that changes nothing, with the history from before it existed', async () => {
    const before = await devicesNow(alice);

    third = await tb.newPage(await tb.newContext());
    pages.push(third);
    await asNewDevice(third, platform.url, aliceName, 'Restore from recovery key');
    const field = third.getByLabel('Recovery key', { exact: true });
    await field.fill(generateRecoveryKey());
    await third.getByRole('button', { name: 'Restore' }).click();
    await waitForText(
      alertIn(third, 'changed'),
      'This recovery key does not open this account’s backup. Nothing on your account was changed.',
      30_000,
    );
    await field.fill(`${recoveryKey.slice(0, -1)}`);
    await third.getByRole('button', { name: 'Restore' }).click();
    await waitForText(alertIn(third, 'changed'), 'That is not a recovery key', 30_000);
    expect(await devicesNow(alice)).toEqual(before);

    // Lower case and without dashes is the same key.
    await field.fill(recoveryKey.toLowerCase().replace(/-/g, ' '));
    await third.getByRole('button', { name: 'Restore' }).click();
    await signedIn(third, aliceName);
    await conversationItem(third, bob.client.username).getByRole('link').click({ timeout: 30_000 });
    for (const text of [
      'before the tablet',
      'with the tablet',
      'without the tablet',
      'to both of your browsers',
    ])
      await waitForMessage(third, text);
  });

  it('removes the second browser: it is signed out, and shows nothing of what is sent afterwards', async () => {
    // The restored browser asked to be added; a member device adds it (the header then says the
    // conversation is encrypted).
    await waitForText(third.getByRole('main'), 'End-to-end encrypted', 60_000);
    await openDevices(second);
    const secondId = await deviceItems(second)
      .and(second.locator('[aria-current="true"]'))
      .getAttribute('data-device-id');
    await closeDevices(second);
    expect(secondId).toBeTruthy();

    await openDevices(alice);
    const item = deviceItems(alice).and(alice.locator(`[data-device-id="${secondId}"]`));
    await item.getByRole('button', { name: /^Remove/ }).click();
    await item.getByRole('button', { name: 'Remove device' }).click();
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    await closeDevices(alice);

    await waitForText(second.getByRole('alert'), 'Your session has ended', 30_000);
    await second.getByLabel('Username').waitFor();
    await bob.client.sendText(conversationId, 'after the second browser was removed');
    await waitForMessage(alice, 'after the second browser was removed');
    // The restored browser was added to the conversation meanwhile: it reads new messages live.
    await waitForMessage(third, 'after the second browser was removed');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await second.locator('body').innerText()).not.toContain(
      'after the second browser was removed',
    );
  });

  it('works by keyboard on a 375 px phone: the ways in for a new device, and cancelling a link', async () => {
    const phone = await tb.newPage(await tb.newContext({ width: 375, height: 740 }));
    pages.push(phone);
    const focused = () => phone.evaluate(() => document.activeElement?.textContent ?? '');
    const overflowsX = () =>
      phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await phone.goto(platform.url);
    await logIn(phone, aliceName);
    await phone
      .getByRole('heading', { name: 'This browser is a new device' })
      .waitFor({ timeout: 30_000 });
    expect(await focused()).toBe('Link from a signed-in device');
    expect(await overflowsX()).toBe(false);
    await phone.keyboard.press('Enter');
    await phone.locator('.link-code').waitFor({ timeout: 30_000 });
    expect(await overflowsX()).toBe(false);
    await phone.keyboard.press('Tab');
    expect(await focused()).toBe('Cancel');
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { name: 'This browser is a new device' }).waitFor();
    expect(await focused()).toBe('Link from a signed-in device');
    await phone.keyboard.press('Tab');
    expect(await focused()).toBe('Restore from recovery key');
    await phone.keyboard.press('Enter');
    expect(await phone.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('secret');
    expect(await overflowsX()).toBe(false);
    // Cancelling took the waiting device off the account again.
    await expect.poll(async () => (await devicesNow(alice)).length, { timeout: 20_000 }).toBe(2);
  });

  it('logs no errors in the browser console (but the refused requests of the removed browser, and lost races of key changes)', () => {
    // Two devices adding the restored browser at once: one commit wins, the other gets 409 and
    // applies it.
    expect(
      consoleErrors(
        pages.filter((p) => p !== second),
        { epochConflicts: true },
      ),
    ).toEqual([]);
    expect(consoleErrors([second], { failedRequests: true })).toEqual([]);
  });
});
