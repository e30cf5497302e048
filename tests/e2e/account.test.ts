import type { Page } from 'playwright-core';
import { RchatApi } from '@rchat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../support/platform.ts';
import { rejection } from '../support/rejection.ts';
import {
  PASSWORD,
  logIn,
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
import { startWebPlatform } from './support/web-platform.ts';

const NEW_PASSWORD = 'a brand new passphrase 42';
const accountDialog = (page: Page) => page.getByRole('dialog', { name: 'Your account' });

async function openAccount(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Account', exact: true }).click();
  await accountDialog(page).waitFor();
}

/**
 * Alice and bob each in their own browser; alice changes her password, then deletes her account
 * while bob watches.
 */
describe('web client: account', () => {
  let platform: Platform;
  let tb: TestBrowser;
  let alice: Page;
  let bob: Page;
  const aliceName = uniqueName('alice');
  const bobName = uniqueName('bob');

  beforeAll(async () => {
    platform = await startWebPlatform();
    tb = await launchBrowser();
    alice = await tb.newPage(await tb.newContext());
    bob = await tb.newPage(await tb.newContext());
    await alice.goto(platform.url);
    await register(alice, aliceName);
    await bob.goto(platform.url);
    await register(bob, bobName);
  });

  afterAll(async () => {
    await tb?.close();
    await platform?.close();
  });

  it('changes the password with the current one; other devices are signed out, this one stays', async () => {
    // Another session of alice's, signed in with the password.
    const other = new RchatApi({ baseUrl: platform.url });
    await other.login({ username: aliceName, password: PASSWORD, device: { name: 'old laptop' } });

    await openAccount(alice);
    const dialog = accountDialog(alice);
    await dialog.getByLabel('Current password', { exact: true }).fill('not my password');
    await dialog.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await waitForText(
      dialog.getByRole('alert').filter({ hasText: 'wrong' }),
      'The current password is wrong. Nothing was changed.',
    );

    await dialog.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await dialog.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await waitForText(
      dialog.getByRole('status').filter({ hasText: 'changed' }),
      'Your password was changed. 1 other device was signed out.',
    );
    expect((await rejection(other.devices())).code).toBe('INVALID_REFRESH_TOKEN');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await accountDialog(alice).waitFor({ state: 'detached' });

    // Still signed in here; the next login needs the new password.
    await alice.getByRole('button', { name: 'Log out' }).click();
    await logIn(alice, aliceName, PASSWORD);
    await waitForText(alice.getByRole('alert'), 'The username or password is wrong.');
    await logIn(alice, aliceName, NEW_PASSWORD);
    await signedIn(alice, aliceName);
    expect(consoleErrors([alice], { failedRequests: true })).toEqual([]);
  });

  it('deletes the account after the password and a confirmation; back to the login page; bob sees the line and can no longer send', async () => {
    await startConversation(bob, aliceName);
    await send(bob, 'are you still there?');
    await alice.getByRole('listitem').filter({ hasText: bobName }).first().click();
    await waitForMessage(alice, 'are you still there?');

    await openAccount(alice);
    await accountDialog(alice).getByRole('button', { name: 'Delete account' }).click();
    const dialog = accountDialog(alice);
    const confirmDelete = dialog.getByRole('button', { name: 'Delete account' });
    await dialog.getByLabel('Current password', { exact: true }).fill(NEW_PASSWORD);
    expect(await confirmDelete.isDisabled()).toBe(true); // not before the confirmation
    await dialog
      .getByRole('checkbox', { name: 'Yes, delete my account and its messages for good' })
      .check();
    await confirmDelete.click();

    await alice.getByRole('button', { name: 'Log in' }).waitFor({ timeout: 30_000 });
    await waitForText(
      alice.getByRole('alert').filter({ hasText: 'deleted' }),
      'Your account was deleted.',
    );
    expect(new URL(alice.url()).pathname).toBe('/login');
    await logIn(alice, aliceName, NEW_PASSWORD);
    await waitForText(
      alice.getByRole('alert').filter({ hasText: 'wrong' }),
      'The username or password is wrong.',
    );

    await waitForText(messageLog(bob), `${aliceName} deleted their account`, 30_000);
    expect(await bob.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await waitForText(bob.getByRole('note'), 'no new messages can be sent');
    expect(consoleErrors([alice, bob], { failedRequests: true })).toEqual([]);
  });
});
