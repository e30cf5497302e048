import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@rchat/server-kit';
import type { Platform } from '../support/platform.ts';
import {
  conversationItem,
  messageLog,
  register,
  send,
  startConversation,
  uniqueName,
  waitForMessage,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

const COUNT = 150;
const typed = (suffix: string, from = 1, to = COUNT) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${String(from + i).padStart(3, '0')} ${suffix}`);

/** Types each text and presses Enter, as fast as the page takes it. */
async function typeAll(page: Page, texts: string[]): Promise<void> {
  for (const text of texts) await send(page, text);
}

/**
 * The texts of the open conversation that end with `suffix`, oldest first, after scrolling back to
 * its start.
 */
async function conversationTexts(page: Page, peer: string, suffix: string): Promise<string[]> {
  const start = messageLog(page).getByText(`This is the start of your conversation with ${peer}.`);
  await expect
    .poll(
      async () => {
        await messageLog(page).evaluate((log) => log.scrollTo({ top: 0 }));
        return start.count();
      },
      { timeout: 60_000, interval: 300 },
    )
    .toBe(1);
  return (await messageLog(page).locator('.message-text').allTextContents()).filter((t) =>
    t.endsWith(suffix),
  );
}

/** The message shows as sent (the outbox sends in order, so every one before it is sent too). */
async function shownSent(page: Page, text: string): Promise<void> {
  const item = await waitForMessage(page, text);
  await expect.poll(() => item.getAttribute('data-status'), { timeout: 120_000 }).toBe('sent');
}

/**
 * The statuses of the open conversation's messages ending with `suffix` (after `conversationTexts`
 * loaded them all).
 */
async function statuses(page: Page, suffix: string): Promise<string[]> {
  return messageLog(page)
    .getByRole('listitem')
    .filter({ hasText: suffix })
    .evaluateAll((items) => [...new Set(items.map((i) => i.getAttribute('data-status') ?? ''))]);
}

/**
 * Opens the page again once the server is back. Chromium's error page reloads
 * by itself when it can, and may interrupt this navigation: then the
 * conversation is there anyway, or the next attempt opens it.
 */
async function reopen(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(url).catch((e: unknown) => {
      if (!/interrupted by another navigation/.test(String(e))) throw e;
    });
    try {
      await messageLog(page).waitFor({ timeout: 15_000 });
      return;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
}

describe('web client: nothing typed is lost', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bob: Page;
  let conversationUrl = '';
  const names = { alice: uniqueName('alice'), bob: uniqueName('bob') };

  /**
   * The txnIds of every message the server stored in the conversation (all bob's), oldest first.
   */
  async function storedTxnIds(): Promise<string[]> {
    const conversationId = conversationUrl.split('/').at(-1) ?? '';
    const rows = await platform.chat.database.rows<{ txn_id: string }>(
      sql`select txn_id from messages where conversation_id = ${conversationId} order by seq`,
    );
    return rows.map((r) => r.txn_id);
  }

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    bob = await tb.newPage(await tb.newContext());
    for (const [page, name] of [
      [alice, names.alice],
      [bob, names.bob],
    ] as const) {
      await page.goto(platform.url);
      await register(page, name);
    }
    await startConversation(bob, names.alice);
    conversationUrl = bob.url();
    await conversationItem(alice, names.bob).getByRole('link').click({ timeout: 30_000 });
  });

  afterAll(async () => {
    await tb?.close();
    await platform?.close();
  });

  it(`${COUNT} messages typed as fast as possible and a reload as soon as the last shows: all arrive on both sides, in order, once`, async () => {
    const suffix = uniqueName('burst');
    const texts = typed(suffix);
    await typeAll(bob, texts);
    await waitForMessage(bob, texts.at(-1) ?? '');
    await bob.reload();

    await shownSent(bob, texts.at(-1) ?? '');
    expect(await conversationTexts(bob, names.alice, suffix)).toEqual(texts);
    expect(await statuses(bob, suffix)).toEqual(['sent']);
    await waitForMessage(alice, texts.at(-1) ?? '', 120_000);
    expect(await conversationTexts(alice, names.bob, suffix)).toEqual(texts);
    const stored = await storedTxnIds();
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toHaveLength(COUNT);
  }, 300_000);

  it('typed while the server is down: queued, sent by itself when it is back, and kept across a reload during the outage', async () => {
    const suffix = uniqueName('outage');
    const first = typed(suffix, 1, COUNT / 2);
    const second = typed(suffix, COUNT / 2 + 1, COUNT);

    // The server goes down while bob types; the page says where his messages are, and sends them by
    // itself once it is back.
    await platform.stopListening();
    try {
      await typeAll(bob, first);
      const last = await waitForMessage(bob, first.at(-1) ?? '');
      await expect
        .poll(() => last.innerText(), { timeout: 60_000 })
        .toContain('Queued — will send when online');
    } finally {
      await platform.resumeListening();
    }
    await waitForMessage(alice, first.at(-1) ?? '', 120_000);
    await shownSent(bob, first.at(-1) ?? '');

    // Down again; bob types, and reloads while it is down (the page cannot even load).
    await platform.stopListening();
    try {
      await typeAll(bob, second);
      await waitForMessage(bob, second.at(-1) ?? '');
      await expect(bob.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
    } finally {
      await platform.resumeListening();
    }
    // Back: bob opens the page again; nothing is clicked.
    await reopen(bob, conversationUrl);
    await waitForMessage(alice, second.at(-1) ?? '', 120_000);
    await shownSent(bob, second.at(-1) ?? '');
    expect(await conversationTexts(alice, names.bob, suffix)).toEqual([...first, ...second]);
    expect(await conversationTexts(bob, names.alice, suffix)).toEqual([...first, ...second]);
    expect(await statuses(bob, suffix)).toEqual(['sent']);
    const stored = await storedTxnIds();
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toHaveLength(2 * COUNT); // with the first test's
  }, 600_000);

  it('logs no errors in the browser console but the requests the outage refused', () => {
    expect(consoleErrors([alice, bob], { outage: true })).toEqual([]);
  });
});
