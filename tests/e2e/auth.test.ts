import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../support/platform.ts';
import {
  fillCredentials,
  logIn,
  register,
  shownRecoveryKey,
  signedIn,
  uniqueName,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

describe('web client: accounts', () => {
  let platform: Platform;
  let tb: TestBrowser;
  const contexts: BrowserContext[] = [];
  const newContext = async () => {
    const c = await tb.newContext();
    contexts.push(c);
    return c;
  };

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await tb?.close();
    await platform?.close();
  });

  it('sends an unauthenticated visit to the login page, registers, stays signed in across a reload, and logs out', async () => {
    const page = await tb.newPage(await newContext());
    await page.goto(`${platform.url}/chat/somewhere`);
    await page.waitForURL(/\/login$/);
    await expect.poll(() => page.title()).toContain('Log in');

    const name = uniqueName('ann');
    await register(page, name);
    await page.waitForURL(`${platform.url}/`);
    await page.getByRole('list', { name: 'Conversations' }).waitFor({ state: 'attached' });

    // The keys are in IndexedDB, sealed under a WebCrypto key that script cannot read out.
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('rchat');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('cannot open IndexedDB'));
      });
      const read = <T>(store: string, op: (s: IDBObjectStore) => IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          const r = op(db.transaction(store).objectStore(store));
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error ?? new Error('IndexedDB read failed'));
        });
      const key = (await read('keys', (s) => s.get('storage'))) as CryptoKey;
      const entries = await read('kv', (s) => s.count());
      db.close();
      return {
        isKey: key instanceof CryptoKey,
        extractable: key.extractable,
        algorithm: key.algorithm.name,
        entries,
      };
    });
    expect(stored).toEqual({
      isKey: true,
      extractable: false,
      algorithm: 'AES-GCM',
      entries: expect.any(Number),
    });
    expect(stored.entries).toBeGreaterThan(3);

    await page.reload();
    await signedIn(page, name);
    await page.goto(`${platform.url}/login`);
    await page.waitForURL(`${platform.url}/`);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${platform.url}/`);
    await page.waitForURL(/\/login$/);

    // Same browser, same account: its keys are still here, so logging in again works.
    await logIn(page, name);
    await signedIn(page, name);
    expect(consoleErrors([page])).toEqual([]);
  });

  it('says in a sentence what is wrong: bad credentials, taken username, weak password, empty fields', async () => {
    const page = await tb.newPage(await newContext());
    await page.goto(platform.url);
    const alert = page.getByRole('alert');

    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(alert, 'Enter a username and a password to log in.');

    await fillCredentials(page, uniqueName('nobody'), 'wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(alert, 'The username or password is wrong. Check both and try again.');

    const taken = uniqueName('taken');
    const other = await tb.newPage(await newContext());
    await other.goto(platform.url);
    await register(other, taken);
    await fillCredentials(page, taken);
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText(alert, `The username "${taken}" is already taken. Choose another one.`);

    await fillCredentials(page, uniqueName('weak'), 'short');
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText(alert, /^This password is too weak: Use at least \d+ characters\./);

    await fillCredentials(page, 'x', 'correct horse battery staple');
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText(alert, 'Username must be at least 3 characters.');
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    expect(consoleErrors([other])).toEqual([]);
    expect(consoleErrors([page], { failedRequests: true })).toEqual([]);
  });

  it('says when the server cannot be reached', async () => {
    const context = await newContext();
    const page = await tb.newPage(context);
    await page.goto(platform.url);
    await page.getByLabel('Username').waitFor();
    await context.route('**/auth/**', (route) => route.abort('connectionrefused'));
    await fillCredentials(page, uniqueName('offline'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(
      page.getByRole('alert'),
      'The server cannot be reached. Check your connection and try again.',
    );
    expect(consoleErrors([page], { failedRequests: true })).toEqual([]);
  });

  it('shows the recovery key once after registering, and offers a browser without the account keys the ways to bring them', async () => {
    const first = await tb.newPage(await newContext());
    await first.goto(platform.url);
    const name = uniqueName('dev');
    await fillCredentials(first, name);
    await first.getByRole('button', { name: 'Register' }).click();
    const key = await shownRecoveryKey(first);
    expect(key).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    await expect.poll(() => first.title()).toContain('Save your recovery key');
    await first
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.url });
    await first.getByRole('button', { name: 'Copy' }).click();
    await waitForText(first.getByRole('status'), 'Copied.');
    expect(await first.evaluate(() => navigator.clipboard.readText())).toBe(key);
    // Where the clipboard is refused, Copy selects the key for the person to copy.
    await first.evaluate(() => {
      navigator.clipboard.writeText = () =>
        Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await first.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => first.evaluate(() => window.getSelection()?.toString())).toBe(key);
    await waitForText(first.getByRole('status'), 'The key is selected');
    // A passphrase that is too short is refused with the reason, before anything is sent, and the
    // screen stays.
    const backupRequests: string[] = [];
    first.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/backup/'))
        backupRequests.push(`${request.method()} ${request.url()}`);
    });
    await first.getByLabel('Passphrase (optional)').fill('short');
    await first.getByRole('button', { name: 'I have saved it' }).click();
    await waitForText(first.getByRole('alert'), 'A passphrase has at least 10 characters.');
    expect(backupRequests).toEqual([]);
    await first.getByLabel('Passphrase (optional)').fill('a passphrase to remember');
    await first.getByRole('button', { name: 'I have saved it' }).click();
    await signedIn(first, name);
    expect(backupRequests.some((r) => r.startsWith('PUT '))).toBe(true);
    // Shown once: after a reload the account is signed in, without the key screen.
    await first.reload();
    await signedIn(first, name);
    expect(await first.locator('.recovery-key').count()).toBe(0);

    const second = await tb.newPage(await newContext());
    await second.goto(platform.url);
    await logIn(second, name);
    await second
      .getByRole('heading', { name: 'This browser is a new device' })
      .waitFor({ timeout: 30_000 });
    await waitForText(second.locator('.login-card'), `This browser has no keys for "${name}" yet`);
    await second.getByRole('button', { name: 'Link from a signed-in device' }).waitFor();
    await second.getByRole('button', { name: 'Restore from recovery key' }).waitFor();
    await second.getByRole('button', { name: 'Back to log in' }).click();
    await second.getByLabel('Username').waitFor();
    expect(second.url()).toMatch(/\/login$/);
    expect(consoleErrors([first])).toEqual([]);
    expect(consoleErrors([second], { failedRequests: true })).toEqual([]);
  });
});
