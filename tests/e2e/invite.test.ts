import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../support/platform.ts';
import {
  fillCredentials,
  register,
  shownRecoveryKey,
  signedIn,
  uniqueName,
  waitForText,
} from './support/actions.ts';
import { consoleErrors, launchBrowser, type TestBrowser } from './support/browser.ts';
import { startWebPlatform } from './support/web-platform.ts';

/** The login page follows the server's registration policy (REGISTRATION=open|invite|closed, published at /.well-known/rchat). */

const INVITE = 'spring-picnic-2041';
let tb: TestBrowser;
const platforms: Platform[] = [];
const contexts: BrowserContext[] = [];

async function openLoginPage(platform: Platform): Promise<Page> {
  const context = await tb.newContext();
  contexts.push(context);
  const page = await tb.newPage(context);
  await page.goto(platform.url);
  await page.getByLabel('Username').waitFor();
  return page;
}

async function start(env: Record<string, string>): Promise<Platform> {
  const platform = await startWebPlatform({ env });
  platforms.push(platform);
  return platform;
}

/**
 * The hint under the form, once the policy has arrived (it names the password length only then).
 */
const policyHint = async (page: Page) => {
  const hint = page.locator('.field-hint');
  await waitForText(hint, /at least \d+ characters|closed/);
  return hint.innerText();
};

beforeAll(async () => {
  tb = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await tb?.close();
  for (const p of platforms) await p.close();
});

describe('web client: registration policy', () => {
  it('open: registers without an invite code, and the form asks for none', async () => {
    const platform = await start({ REGISTRATION: 'open' });
    const page = await openLoginPage(platform);
    expect(await policyHint(page)).toMatch(
      /^New here\? Pick a username and a password of at least \d+ characters, then choose Register\.$/,
    );
    expect(await page.getByLabel('Invite code').count()).toBe(0);
    const name = uniqueName('opal');
    await register(page, name);
    expect(consoleErrors([page])).toEqual([]);
  });

  it('invite: asks for the invite code, refuses a missing or wrong one with a sentence, and registers with the right one', async () => {
    const platform = await start({
      REGISTRATION: 'invite',
      REGISTRATION_INVITE_CODES: `other-code-1234,${INVITE}`,
    });
    const page = await openLoginPage(platform);
    expect(await policyHint(page)).toMatch(
      /^New here\? Enter the invite code from the operator of this server, pick a username/,
    );
    const code = page.getByLabel('Invite code');
    await code.waitFor();
    const alert = page.getByRole('alert');
    const name = uniqueName('ivy');

    await fillCredentials(page, name);
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText(alert, 'Enter the invite code from the operator of this server to register.');

    await code.fill('not-the-code');
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText(
      alert,
      'This server needs a valid invite code to register. Ask the operator of this server for an account.',
    );
    expect(await page.getByRole('button', { name: 'Log in' }).isEnabled()).toBe(true);

    await code.fill(` ${INVITE} `);
    await page.getByRole('button', { name: 'Register' }).click();
    await shownRecoveryKey(page);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await signedIn(page, name);
    expect(consoleErrors([page], { failedRequests: true })).toEqual([]);
  });

  it('closed: no Register button and no invite field, only the sentence; the form still logs in', async () => {
    const platform = await start({ REGISTRATION: 'closed' });
    const page = await openLoginPage(platform);
    expect(await policyHint(page)).toBe(
      'Registration is closed on this server. Ask its operator for an account.',
    );
    expect(await page.getByRole('button', { name: 'Register' }).count()).toBe(0);
    expect(await page.getByLabel('Invite code').count()).toBe(0);
    await fillCredentials(page, uniqueName('nobody'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(
      page.getByRole('alert'),
      'The username or password is wrong. Check both and try again.',
    );
    expect(consoleErrors([page], { failedRequests: true })).toEqual([]);
  });
});
