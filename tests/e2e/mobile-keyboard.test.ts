import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, waitForTexts, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import {
  PASSWORD,
  conversationList,
  shownRecoveryKey,
  signedIn,
  uniqueName,
  waitForMessage,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const focused = (page: Page) =>
  page.evaluate(
    () =>
      document.activeElement?.getAttribute('aria-label') ??
      document.activeElement?.textContent ??
      document.activeElement?.tagName,
  );
const overflowsX = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe('web client: a 375 px phone, keyboard only', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let page: Page;
  let frank: TestClient;

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    page = await tb.newPage(await tb.newContext({ width: 375, height: 740 }));
    frank = await registerClient(platform.url, 'frank');
    await frank.client.start();
  });

  afterAll(async () => {
    frank?.client.stop();
    await tb?.close();
    await platform?.close();
  });

  it('registers, finds a user, starts a conversation and chats without a mouse, and nothing is wider than the screen', async () => {
    const name = uniqueName('gina');
    await page.goto(platform.url);
    await page.getByLabel('Username').waitFor();
    expect(await overflowsX(page)).toBe(false);
    // The username field has focus; Tab moves through password, Log in, Register.
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Log in');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Register');
    await page.keyboard.press('Enter');
    // The recovery key screen: Copy has focus; Tab passes the optional passphrase to the button
    // that goes on.
    expect(await shownRecoveryKey(page)).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect(await focused(page)).toBe('Copy');
    expect(await overflowsX(page)).toBe(false);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'passphrase',
    );
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('I have saved it');
    await page.keyboard.press('Enter');
    await signedIn(page, name);
    expect(await overflowsX(page)).toBe(false);

    await page.keyboard.press('Tab');
    await page.keyboard.type(frank.client.username.slice(0, 8));
    await page.getByRole('option', { name: frank.client.username }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('combobox', { name: 'Search users' }).inputValue()).toBe(
      frank.client.username,
    );
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Start conversation');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: frank.client.username }).waitFor({ timeout: 30_000 });

    // On a phone the conversation takes the whole screen; the composer has focus.
    expect(await conversationList(page).isVisible()).toBe(false);
    expect(await overflowsX(page)).toBe(false);
    await page.keyboard.type('hello from a phone');
    await page.keyboard.press('Enter');
    const [withGina] = await frank.client.conversations();
    if (!withGina) throw new Error('Frank has no conversation');
    expect(await waitForTexts(frank, withGina.id, withGina.peer.userId, 1)).toEqual([
      'hello from a phone',
    ]);
    await frank.client.sendText(withGina.id, 'hello back');
    await waitForMessage(page, 'hello back');
    expect(await overflowsX(page)).toBe(false);

    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await conversationList(page).waitFor();
    expect(await overflowsX(page)).toBe(false);
    expect(consoleErrors([page])).toEqual([]);
  });
});
