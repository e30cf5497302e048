import type { Page } from 'playwright-core';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import { PASSWORD, conversationItem, messageLog, register, startConversation, uniqueName, waitForMessage, waitForText } from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const devicesDialog = (page: Page) => page.getByRole('dialog', { name: 'Your devices' });
const deviceItems = (page: Page) => devicesDialog(page).getByRole('list', { name: 'Your devices' }).getByRole('listitem');

/** The texts of the open conversation's log, messages and system lines, in order. */
const logLines = (page: Page) => messageLog(page).locator('.message-text, .system-line').allInnerTexts();

/** Alice in the browser; Bob on the Node SDK, adding and removing a device of his own. */
describe('web client: devices', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bob: TestClient;
  const aliceName = uniqueName('alice');
  const pages: Page[] = [];

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    pages.push(alice);
    await alice.goto(platform.url);
    await register(alice, aliceName);
    bob = await registerClient(platform.url, 'bob');
    await bob.client.start();
    await startConversation(alice, bob.client.username);
  });

  afterAll(async () => {
    bob?.client.stop();
    await tb?.close();
    await platform?.close();
  });

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

  it("shows a system line, in order with the messages, when the peer adds or removes a device", async () => {
    const [conversation] = await bob.client.conversations();
    if (!conversation) throw new Error('Bob has no conversation');
    await bob.client.sendText(conversation.id, 'before the tablet');
    await waitForMessage(alice, 'before the tablet');

    const tablet = await RchatClient.loginWithIdentity({ baseUrl: platform.url, storage: createMemoryStorage(), deviceName: 'tablet' }, bob.client.username, PASSWORD, bob.client.identityKeyPair);
    await tablet.start();
    expect(await bob.client.addDeviceToConversations(tablet.deviceId)).toBe(1);
    await waitForText(messageLog(alice), `${bob.client.username} added a device`);
    await bob.client.sendText(conversation.id, 'with the tablet');
    await waitForMessage(alice, 'with the tablet');

    await bob.client.removeDevice(tablet.deviceId);
    await waitForText(messageLog(alice), `${bob.client.username} removed a device`);
    tablet.stop();
    await bob.client.sendText(conversation.id, 'without the tablet');
    await waitForMessage(alice, 'without the tablet');
    expect(await logLines(alice)).toEqual([
      'before the tablet',
      `${bob.client.username} added a device`,
      'with the tablet',
      `${bob.client.username} removed a device`,
      'without the tablet',
    ]);
    // A device change does not change the safety number, so no identity warning appears.
    expect(await alice.getByRole('alert').filter({ hasText: 'safety number has changed' }).count()).toBe(0);
    await conversationItem(alice, bob.client.username).waitFor();
  });

  it('logs no errors in the browser console', () => {
    expect(consoleErrors(pages)).toEqual([]);
  });
});
