import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery staple';

/** A fresh username (lowercase, as the server keeps it). */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** Waits until the locator's text contains `text` (or matches it); works inside hooks too. */
export async function waitForText(
  locator: Locator,
  text: string | RegExp,
  timeout = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    seen = (await locator.count()) > 0 ? await locator.first().innerText() : '';
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${String(text)}; the text is: ${JSON.stringify(seen)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function fillCredentials(
  page: Page,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
}

/**
 * Registers on the login page, goes past the recovery key screen and waits for the main page;
 * returns the recovery key it showed.
 */
export async function register(page: Page, username: string): Promise<string> {
  await fillCredentials(page, username);
  await page.getByRole('button', { name: 'Register' }).click();
  const key = await shownRecoveryKey(page);
  await page.getByRole('button', { name: 'I have saved it' }).click();
  await signedIn(page, username);
  return key;
}

/**
 * The recovery key on the screen shown once after registering (creating the account and its keys
 * takes a moment).
 */
export async function shownRecoveryKey(page: Page): Promise<string> {
  const key = page.locator('.recovery-key');
  await key.waitFor({ timeout: 30_000 });
  return (await key.textContent()) ?? '';
}

export async function logIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await fillCredentials(page, username, password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function signedIn(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: 30_000 });
  await waitForText(page.locator('.current-user'), username);
}

/** Searches for the peer, picks the suggestion and starts (or reopens) the conversation. */
export async function startConversation(page: Page, peer: string): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search users' });
  await search.fill(peer.slice(0, peer.length - 2));
  await page.getByRole('option', { name: peer }).click();
  await page.getByRole('button', { name: 'Start conversation' }).click();
  await page.getByRole('heading', { name: peer }).waitFor({ timeout: 30_000 });
}

export const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
export const conversationList = (page: Page) => page.getByRole('list', { name: 'Conversations' });
export const conversationItem = (page: Page, peer: string) =>
  conversationList(page).getByRole('listitem').filter({ hasText: peer });

/** Types into the composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

/**
 * Waits until the open conversation shows the text in a message bubble, and returns that message's
 * list item.
 */
export async function waitForMessage(page: Page, text: string, timeout = 30_000): Promise<Locator> {
  const item = messageLog(page).getByRole('listitem').filter({ hasText: text });
  await item.first().waitFor({ timeout });
  return item.first();
}
