import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@rchat/server-kit';
import type { Platform } from '../support/platform.ts';
import {
  conversationItem,
  logIn,
  messageLog,
  register,
  send,
  signedIn,
  startConversation,
  uniqueName,
  waitForMessage,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const useHere = (page: Page) => page.getByRole('button', { name: 'Use here', exact: true });

/**
 * Bob's account in several tabs of one browser profile (one context: one IndexedDB), talking to
 * alice in another.
 */
describe('web client: one account in several tabs', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bobs: BrowserContext;
  const tabs: Page[] = [];
  const names = { alice: uniqueName('alice'), bob: uniqueName('bob') };
  const sentInOrder: string[] = [];

  /** A new tab of bob's browser, on the conversation with alice. */
  async function openBobTab(): Promise<Page> {
    const page = await tb.newPage(bobs);
    tabs.push(page);
    await page.goto(platform.url);
    await signedIn(page, names.bob);
    await conversationItem(page, names.alice).getByRole('link').click();
    return page;
  }

  /** Sends from one of bob's tabs; every open tab of bob shows it, as sent. */
  async function sendFrom(page: Page, label: string, openTabs: Page[]): Promise<void> {
    const text = `${label} ${uniqueName('m')}`;
    sentInOrder.push(text);
    await send(page, text);
    const mine = await waitForMessage(page, text);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    for (const other of openTabs) await waitForMessage(other, text);
  }

  /** Each message alice was sent, once, in the order sent. */
  async function aliceSawAllInOrder(): Promise<void> {
    await waitForMessage(alice, sentInOrder.at(-1) ?? '');
    const seen = (await messageLog(alice).getByRole('listitem').allInnerTexts()).flatMap((t) =>
      sentInOrder.filter((m) => t.includes(m)),
    );
    expect(seen).toEqual(sentInOrder);
  }

  /** The server's refresh tokens of bob's device: one session (token family), never revoked. */
  async function bobSessions(): Promise<{ families: number; revoked: number; rotated: number }> {
    const rows = await platform.users.database.rows<{
      families: string | number;
      revoked: string | number;
      rotated: string | number;
    }>(sql`
      select count(distinct t.family_id) as families, count(t.revoked_at) as revoked, count(t.rotated_at) as rotated
      from refresh_tokens t join users u on u.id = t.user_id where u.username = ${names.bob}`);
    const row = rows[0];
    return {
      families: Number(row?.families),
      revoked: Number(row?.revoked),
      rotated: Number(row?.rotated),
    };
  }

  async function noErrorShown(pages: Page[]): Promise<void> {
    for (const page of pages) expect(await page.locator('.toast').count()).toBe(0);
    expect(consoleErrors(pages)).toEqual([]);
  }

  beforeAll(async () => {
    // Short-lived access tokens: the tabs' client refreshes several times during the test.
    platform = await startWebPlatform({ env: { ACCESS_TOKEN_TTL_SECONDS: '30' } });
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    bobs = await tb.newContext();
    const bob = await tb.newPage(bobs);
    tabs.push(bob);
    await alice.goto(platform.url);
    await register(alice, names.alice);
    await bob.goto(platform.url);
    await register(bob, names.bob);
    await startConversation(bob, names.alice);
    await conversationItem(alice, names.bob).getByRole('link').click();
  });

  afterAll(async () => {
    await tb?.close();
    await platform?.close();
  });

  it('sends from two tabs, and again after one reloads: alice gets every message once, in order, and the device keeps one session', async () => {
    const [first] = tabs as [Page];
    const second = await openBobTab();
    // The first tab runs the account; the second works through it and says so.
    await useHere(second).waitFor();
    expect(await useHere(first).count()).toBe(0);

    await sendFrom(first, 'one', [second]);
    await sendFrom(second, 'two', [first]);
    await sendFrom(first, 'three', [second]);
    await sendFrom(second, 'four', [first]);
    await aliceSawAllInOrder();

    // The tab running the account reloads: the other takes over, and the reloaded one works through
    // it.
    await first.reload();
    await signedIn(first, names.bob);
    await useHere(first).waitFor();
    await useHere(second).waitFor({ state: 'detached' });
    await waitForMessage(first, sentInOrder[3] ?? '');
    await sendFrom(first, 'five', [second]);
    await sendFrom(second, 'six', [first]);
    await aliceSawAllInOrder();
    await noErrorShown([first, second]);

    // Tokens were refreshed (the 30-second access tokens expired meanwhile), all in one family that
    // was never revoked.
    await expect
      .poll(async () => (await bobSessions()).rotated, { timeout: 60_000 })
      .toBeGreaterThan(0);
    await sendFrom(first, 'seven', [second]);
    await aliceSawAllInOrder();
    expect(await bobSessions()).toMatchObject({ families: 1, revoked: 0 });
    await noErrorShown([first, second]);
  });

  it('keeps working in the other tab when the tab running the account closes', async () => {
    const [first, second] = tabs as [Page, Page];
    // The second tab runs the account now (the first reloaded); close it.
    expect(await useHere(second).count()).toBe(0);
    await second.close();
    tabs.splice(tabs.indexOf(second), 1);
    await useHere(first).waitFor({ state: 'detached' });
    await sendFrom(first, 'eight', []);
    await aliceSawAllInOrder();
    expect(await bobSessions()).toMatchObject({ families: 1, revoked: 0 });
    await noErrorShown([first]);
  });

  it('moves the account to a tab with Use here', async () => {
    const [first] = tabs as [Page];
    const third = await openBobTab();
    await useHere(third).click();
    await useHere(third).waitFor({ state: 'detached' });
    await useHere(first).waitFor();
    await sendFrom(third, 'nine', [first]);
    await sendFrom(first, 'ten', [third]);
    await aliceSawAllInOrder();
    expect(await bobSessions()).toMatchObject({ families: 1, revoked: 0 });
    await noErrorShown([first, third]);
  });

  it('signs out every tab when one logs out, and signs every tab in when one logs in', async () => {
    const [first, third] = tabs as [Page, Page];
    // Log out in the tab that works through the other one.
    await first.getByRole('button', { name: 'Log out' }).click();
    for (const page of [first, third]) await page.waitForURL(/\/login$/);
    expect(
      await third
        .getByRole('alert')
        .filter({ hasText: /session has ended/ })
        .count(),
    ).toBe(0);

    await logIn(first, names.bob);
    for (const page of [first, third]) await signedIn(page, names.bob);
    await useHere(third).waitFor();
    await conversationItem(third, names.alice).getByRole('link').click();
    await conversationItem(first, names.alice).getByRole('link').click();
    await sendFrom(third, 'eleven', [first]);
    await aliceSawAllInOrder();
    await noErrorShown([first, third]);
  });

  it('without Web Locks and BroadcastChannel, runs the account in one tab at a time: another tab says where it is open and offers Use here', async () => {
    const context = await tb.newContext();
    await context.addInitScript(() => {
      Reflect.deleteProperty(Navigator.prototype, 'locks');
      Reflect.deleteProperty(globalThis, 'BroadcastChannel');
    });
    const name = uniqueName('carol');
    const one = await tb.newPage(context);
    await one.goto(platform.url);
    await register(one, name);
    const two = await tb.newPage(context);
    await two.goto(platform.url);
    await two.getByText('rchat is open in another tab of this browser').waitFor();
    expect(await two.getByRole('button', { name: 'Log out' }).count()).toBe(0);

    await useHere(two).click();
    await signedIn(two, name);
    await one.getByText('rchat is open in another tab of this browser').waitFor();
    await startConversation(two, names.alice);
    const text = `from the only tab ${uniqueName('m')}`;
    await send(two, text);
    await conversationItem(alice, name).getByRole('link').click();
    await waitForMessage(alice, text);
    expect(consoleErrors([one, two])).toEqual([]);
  });
});
