import type { Page } from 'playwright-core';
import { generateIdentityKeyPair, toBase64 } from '@rchat/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import {
  PASSWORD,
  conversationItem,
  messageLog,
  register,
  uniqueName,
  waitForMessage,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { countInServerData, startWebPlatform } from './support/web-platform.ts';

const COUNT = 150;
const label = (i: number) => `history ${String(i).padStart(3, '0')}`;

/** What the reader sees: the texts in the log and where the log is scrolled. */
const view = (page: Page) =>
  messageLog(page).evaluate((log) => ({
    texts: [...log.querySelectorAll('.message-text')].map((e) => e.textContent ?? ''),
    scrollTop: log.scrollTop,
    atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 4,
  }));

/** The top of the element with this text, relative to the top of the log's viewport. */
const offsetOf = (page: Page, text: string) =>
  messageLog(page).evaluate((log, t) => {
    const el = [...log.querySelectorAll('.message-text')].find((e) => e.textContent === t);
    return el ? el.getBoundingClientRect().top - log.getBoundingClientRect().top : null;
  }, text);

describe('web client: a long conversation', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let dave: Page;
  let erin: TestClient;
  let conversationId = '';
  const suffix = uniqueName('m');

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    dave = await tb.newPage(await tb.newContext({ width: 1000, height: 700 }));
    const name = uniqueName('dave');
    await dave.goto(platform.url);
    await register(dave, name);
    // Erin writes from the Node SDK: 150 messages while Dave's page is open.
    erin = await registerClient(platform.url, 'erin');
    conversationId = (await erin.client.startConversation({ username: name })).id;
    for (let i = 1; i <= COUNT; i++)
      await erin.client.sendText(conversationId, `${label(i)} ${suffix}`);
  }, 300_000);

  afterAll(async () => {
    erin?.client.stop();
    await tb?.close();
    await platform?.close();
  });

  it('opens at the newest message and scrolls back, page by page, to the first, keeping the reader in place', async () => {
    await expect
      .poll(() => conversationItem(dave, erin.client.username).getAttribute('aria-label'), {
        timeout: 60_000,
      })
      .toBe(`${erin.client.username}, ${COUNT} unread messages`);
    await conversationItem(dave, erin.client.username).getByRole('link').click();
    await waitForMessage(dave, `${label(COUNT)} ${suffix}`);
    await expect.poll(async () => (await view(dave)).atBottom).toBe(true);
    const first = await view(dave);
    expect(first.texts.length).toBeLessThan(COUNT);

    let pages = 0;
    for (;;) {
      const before = await view(dave);
      const anchor = before.texts[0] ?? '';
      if (anchor === `${label(1)} ${suffix}`) break;
      expect(pages++, 'pages loaded').toBeLessThan(10);
      // Scroll just below the top (where older messages start loading), then check the anchor did
      // not move.
      await messageLog(dave).evaluate((log) => log.scrollTo({ top: 0 }));
      const anchorTop = await offsetOf(dave, anchor);
      await expect
        .poll(async () => (await view(dave)).texts[0], { timeout: 20_000 })
        .not.toBe(anchor);
      const moved = Math.abs(((await offsetOf(dave, anchor)) ?? 0) - (anchorTop ?? 0));
      expect(moved, 'the message the reader was looking at stays where it was').toBeLessThan(4);
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    const all = (await view(dave)).texts;
    expect(all).toEqual(Array.from({ length: COUNT }, (_, i) => `${label(i + 1)} ${suffix}`));
    await waitForText(
      messageLog(dave),
      `This is the start of your conversation with ${erin.client.username}.`,
    );
  });

  it('does not jump to a new message while the reader is scrolled up: it offers a button instead', async () => {
    await messageLog(dave).evaluate((log) => log.scrollTo({ top: 0 }));
    const scrolled = (await view(dave)).scrollTop;
    await erin.client.sendText(conversationId, `while reading ${suffix}`);
    const button = dave.getByRole('button', { name: /1 new message/ });
    await button.waitFor({ timeout: 20_000 });
    expect((await view(dave)).scrollTop).toBe(scrolled);
    await button.click();
    await expect.poll(async () => (await view(dave)).atBottom).toBe(true);
    expect(await button.count()).toBe(0);

    // At the bottom, a new message scrolls into view by itself.
    await erin.client.sendText(conversationId, `at the bottom ${suffix}`);
    await waitForMessage(dave, `at the bottom ${suffix}`);
    await expect.poll(async () => (await view(dave)).atBottom).toBe(true);
  });

  it("blocks sending when the peer's identity changed, until the new safety number is marked as verified (which accepts it)", async () => {
    const banner = dave.getByRole('alert').filter({ hasText: 'encryption identity changed' });
    expect(await banner.count()).toBe(0);
    // Erin's account gets a new identity key (as after a reset, or an attack).
    await erin.client.api.resetIdentity({
      identityKey: toBase64(generateIdentityKeyPair().publicKey),
      password: PASSWORD,
      confirm: 'reset my encryption identity',
    });
    await dave.reload();
    await waitForText(banner, `${erin.client.username}'s encryption identity changed`, 30_000);
    expect(await dave.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    await banner.getByRole('button', { name: 'Compare safety numbers' }).click();
    await dave.getByRole('button', { name: 'Mark as verified' }).click();
    await waitForText(dave.getByRole('region', { name: 'Conversation details' }), 'as verified');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    expect(await dave.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(false);
    // Verified stays verified: a reload reads it back from this browser's storage.
    await dave.reload();
    await dave.getByRole('button', { name: 'Details' }).click();
    await waitForText(dave.getByRole('region', { name: 'Conversation details' }), 'as verified');
    expect(await banner.count()).toBe(0);
  });

  it('keeps the 150 messages unreadable to the server, and logs no console errors', async () => {
    const counts = await countInServerData(platform, [
      suffix,
      label(1),
      label(COUNT),
      erin.client.username,
    ]);
    expect(counts[erin.client.username]).toBeGreaterThan(0);
    expect([counts[suffix], counts[label(1)], counts[label(COUNT)]]).toEqual([0, 0, 0]);
    expect(consoleErrors([dave])).toEqual([]);
  });
});
