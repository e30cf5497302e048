import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
  /** A fresh browser profile for one person (its own IndexedDB): desktop size unless told. */
  newContext(options?: { width?: number; height?: number }): Promise<BrowserContext>;
  /** Opens a page that records its console errors and uncaught exceptions (see `consoleErrors`). */
  newPage(context: BrowserContext): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Chromium with a throwaway profile (Playwright makes a fresh user-data dir per
 * launch and removes it on close); each context is a separate person. Failed requests that a test
 * causes on
 * purpose (a 401 for a wrong password) log a "Failed to load resource" line;
 * tests that expect them pass `allowFailedRequests`.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  return {
    browser,
    newContext: ({ width = 1280, height = 800 } = {}) =>
      browser.newContext({ viewport: { width, height }, locale: 'en-GB', timezoneId: 'UTC' }),
    async newPage(context) {
      const page = await context.newPage();
      const errors: string[] = [];
      recorded.set(page, errors);
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`${page.url()}: uncaught ${e.message}`));
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}

const recorded = new WeakMap<Page, string[]>();

/**
 * The console errors and uncaught exceptions of pages opened by `newPage`,
 * less the failed-request lines a test provoked on purpose (a 4xx for a wrong
 * password, a refused connection) when it allows them, or the 409 a device
 * gets when another device's key change won the race (the SDK applies that
 * one and tries again), or the requests and live streams a server outage cut.
 */
export function consoleErrors(
  pages: Page[],
  allow: { failedRequests?: boolean; epochConflicts?: boolean; outage?: boolean } = {},
): string[] {
  return pages
    .flatMap((p) => recorded.get(p) ?? [])
    .filter(
      (e) =>
        !(
          allow.failedRequests &&
          /Failed to load resource: (the server responded with a status of 4\d\d|net::ERR_CONNECTION_REFUSED)/.test(
            e,
          )
        ),
    )
    .filter(
      (e) =>
        !(
          allow.epochConflicts &&
          /Failed to load resource: the server responded with a status of 409 \(Conflict\)/.test(e)
        ),
    )
    .filter(
      (e) =>
        !(
          allow.outage &&
          /Failed to load resource: net::ERR_(CONNECTION_REFUSED|INCOMPLETE_CHUNKED_ENCODING|CONNECTION_RESET|EMPTY_RESPONSE)/.test(
            e,
          )
        ),
    );
}
