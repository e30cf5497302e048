import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, type TestClient } from '../support/clients.ts';
import type { Platform } from '../support/platform.ts';
import {
  conversationItem,
  conversationList,
  messageLog,
  register,
  send,
  signedIn,
  startConversation,
  uniqueName,
  waitForMessage,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { countInServerData, startWebPlatform } from './support/web-platform.ts';

/**
 * Two people in two browser contexts (and a third on the Node SDK) talking through the real
 * platform.
 */
describe('web client: messaging', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bob: Page;
  let carol: TestClient | undefined;
  const names = { alice: uniqueName('alice'), bob: uniqueName('bob') };
  const markers: string[] = [];
  const marker = (label: string) => {
    const m = `${label} ${uniqueName('marker')}`;
    markers.push(m);
    return m;
  };
  const pages: Page[] = [];

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    bob = await tb.newPage(await tb.newContext());
    pages.push(alice, bob);
    for (const [page, name] of [
      [alice, names.alice],
      [bob, names.bob],
    ] as const) {
      await page.goto(platform.url);
      await register(page, name);
    }
  });

  afterAll(async () => {
    carol?.client.stop();
    await tb?.close();
    await platform?.close();
  });

  it('suggests usernames as you type and starts the conversation with the one chosen', async () => {
    const searches: string[] = [];
    alice.on('request', (request) => {
      if (new URL(request.url()).pathname === '/users') searches.push(request.url());
    });
    const search = alice.getByRole('combobox', { name: 'Search users' });
    // Under 3 characters the page says what it needs and asks the server nothing.
    await search.fill(names.bob.slice(0, 2));
    await alice.getByText('Type at least 3 characters to search', { exact: true }).waitFor();
    expect(await search.getAttribute('aria-expanded')).toBe('false');
    await new Promise((r) => setTimeout(r, 500));
    expect(searches).toEqual([]);
    await search.fill(names.bob.slice(0, 6));
    await alice.getByRole('option', { name: names.bob }).waitFor();
    expect(
      await alice.getByText('Type at least 3 characters to search', { exact: true }).count(),
    ).toBe(0);
    expect(searches.length).toBeGreaterThan(0);
    await startConversation(alice, names.bob);
    expect(alice.url()).toMatch(/\/chat\/[0-9a-f-]{36}$/);
    // Bob is told live: the conversation appears in his list without a reload.
    await conversationItem(bob, names.alice).waitFor({ timeout: 30_000 });
  });

  it('sends and receives in real time both ways, with send state, time, and own and others told apart', async () => {
    const hello = marker('hello bob');
    await send(alice, hello);
    const mine = await waitForMessage(alice, hello);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    expect(await mine.getAttribute('class')).toContain('own');
    expect(await mine.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

    await conversationItem(bob, names.alice).getByRole('link').click();
    const received = await waitForMessage(bob, hello);
    expect(await received.getAttribute('class')).toContain('theirs');

    const reply = marker('hi alice');
    await send(bob, reply);
    await waitForMessage(alice, reply);

    // Shift+Enter makes a new line; Enter sends.
    const box = alice.getByRole('textbox', { name: 'Message' });
    const first = marker('line one');
    const second = marker('line two');
    await box.fill(first);
    await box.press('Shift+Enter');
    await box.pressSequentially(second);
    expect(await box.inputValue()).toBe(`${first}\n${second}`);
    await box.press('Enter');
    expect(await box.inputValue()).toBe('');
    const multi = await waitForMessage(bob, second);
    expect(await multi.locator('.message-text').innerText()).toBe(`${first}\n${second}`);

    // The Send button works as well as Enter.
    const byButton = marker('by button');
    await bob.getByRole('textbox', { name: 'Message' }).fill(byButton);
    await bob.getByRole('button', { name: 'Send' }).click();
    await waitForMessage(alice, byButton);
  });

  it('marks a conversation with unread messages, keeps the list in order of activity, and clears the mark when opened', async () => {
    await bob.goBack();
    await bob.waitForURL(`${platform.url}/`);
    carol = await registerClient(platform.url, 'carol');
    const toBob = await carol.client.startConversation({ username: names.bob });
    await carol.client.sendText(toBob.id, marker('from carol'));
    await waitForText(conversationList(bob).getByRole('listitem').first(), carol.client.username);

    await send(alice, marker('unread one'));
    await send(alice, marker('unread two'));
    const item = conversationItem(bob, names.alice);
    await expect
      .poll(() => item.getAttribute('aria-label'), { timeout: 30_000 })
      .toBe(`${names.alice}, 2 unread messages`);
    expect(await item.getAttribute('class')).toContain('unread');
    await waitForText(conversationList(bob).getByRole('listitem').first(), names.alice);
    expect(await conversationItem(bob, carol.client.username).getAttribute('aria-label')).toBe(
      `${carol.client.username}, 1 unread message`,
    );

    await item.getByRole('link').click();
    await waitForMessage(bob, markers.at(-1) ?? '');
    await expect.poll(() => item.getAttribute('aria-label')).toBe(names.alice);
    expect(await item.getAttribute('class')).not.toContain('unread');
    // The read marker is on the server: after a reload the mark stays cleared, Carol's stays.
    await bob.goto(`${platform.url}/`);
    await signedIn(bob, names.bob);
    await expect
      .poll(() => conversationItem(bob, carol?.client.username ?? '').getAttribute('aria-label'))
      .toContain('1 unread message');
    expect(await conversationItem(bob, names.alice).getAttribute('aria-label')).toBe(names.alice);
  });

  it('catches up after the page was closed: every message sent meanwhile is there, in order', async () => {
    const context = bob.context();
    await bob.close();
    const missed = [marker('missed 1'), marker('missed 2'), marker('missed 3')];
    for (const text of missed) {
      await send(alice, text);
      await expect
        .poll(() => alice.locator('li.message.own').last().getAttribute('data-status'), {
          timeout: 20_000,
        })
        .toBe('sent');
    }
    bob = await tb.newPage(context);
    pages.push(bob);
    await bob.goto(platform.url);
    await signedIn(bob, names.bob);
    await expect
      .poll(() => conversationItem(bob, names.alice).getAttribute('aria-label'), {
        timeout: 30_000,
      })
      .toBe(`${names.alice}, 3 unread messages`);
    await conversationItem(bob, names.alice).getByRole('link').click();
    await waitForMessage(bob, missed[2] ?? '');
    const texts = await messageLog(bob).locator('.message-text').allInnerTexts();
    expect(texts.slice(-3)).toEqual(missed);
  });

  it('shows the same safety number on both sides and marks it verified', async () => {
    const digits: string[] = [];
    for (const page of [alice, bob]) {
      await page.getByRole('button', { name: 'Details' }).click();
      const number = page.locator('.safety-number');
      await number.waitFor({ timeout: 20_000 });
      digits.push((await number.innerText()).replace(/\D/g, ''));
    }
    expect(digits[0]).toMatch(/^\d{60}$/);
    expect(digits[1]).toBe(digits[0]);
    await alice.getByRole('button', { name: 'Mark as verified' }).click();
    await waitForText(
      alice.getByRole('region', { name: 'Conversation details' }),
      `You marked ${names.bob} as verified.`,
    );
    await waitForText(alice.locator('.conversation-sub'), 'verified');
  });

  it('shows a send the network failed as queued, and sends it by itself once the network is back', async () => {
    const context = alice.context();
    const refuseSends = '**/conversations/*/messages';
    await context.route(refuseSends, (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    const text = marker('sent when the network is back');
    await send(alice, text);
    const mine = await waitForMessage(alice, text);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 20_000 }).toBe('queued');
    await waitForText(mine, 'Queued — will send when online');
    await context.unroute(refuseSends);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 60_000 }).toBe('sent');
    await waitForMessage(bob, text);
    expect(await messageLog(bob).getByRole('listitem').filter({ hasText: text }).count()).toBe(1);
  });

  it('shows a send the server refused, with a Retry that sends it', async () => {
    const context = alice.context();
    const refuseSends = '**/conversations/*/messages';
    const refusal = { error: { code: 'VALIDATION_FAILED', message: 'Refused for this test.' } };
    await context.route(refuseSends, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 400, json: refusal })
        : route.continue(),
    );
    const text = marker('sent on the second try');
    await send(alice, text);
    const mine = await waitForMessage(alice, text);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 20_000 }).toBe('failed');
    await waitForText(mine, 'Not sent.');
    await context.unroute(refuseSends);
    await mine.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    await waitForMessage(bob, text);
    const copies = await messageLog(bob).getByRole('listitem').filter({ hasText: text }).count();
    expect(copies).toBe(1);
  });

  it('leaves no plaintext on the server: no marker in any row of any table', async () => {
    expect(markers.length).toBeGreaterThanOrEqual(10);
    const counts = await countInServerData(platform, [names.alice, ...markers]);
    // The scan does see stored data (usernames are not secret) …
    expect(counts[names.alice]).toBeGreaterThan(0);
    // … and finds none of the message texts.
    expect(Object.entries(counts).filter(([k, n]) => k !== names.alice && n > 0)).toEqual([]);
  });

  it('logs no errors in the browser console (but the refused sends of the retry test)', () => {
    expect(consoleErrors(pages.filter((p) => p !== alice))).toEqual([]);
    expect(consoleErrors([alice], { failedRequests: true })).toEqual([]);
  });
});
