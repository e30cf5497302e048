import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { MlsWorkloadOptions, MlsWorkloadTimings } from './mls-workload.ts';

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

/** The workload bundled for the browser (ES module, minified like a production build). */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Serves the page and its module on 127.0.0.1 (a secure context, so WebCrypto is there). */
async function servePage(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><meta charset="utf-8"><title>mls bench</title><script type="module" src="/bench.js"></script>',
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Runs the MLS workload `reps` times in one headless Chromium page; throws a clear error when
 * Chromium is missing.
 */
export async function runInChromium(
  options: MlsWorkloadOptions,
  reps: number,
): Promise<{ timings: MlsWorkloadTimings[]; version: string }> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`);
  const server = await servePage(await bundle());
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page
      .waitForFunction(() => 'runMlsWorkload' in globalThis, undefined, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`the bench page did not load: ${errors.join('; ') || 'no error reported'}`);
      });
    const timings: MlsWorkloadTimings[] = [];
    for (let rep = 0; rep < reps; rep += 1) {
      timings.push(
        await page.evaluate(
          (o) =>
            (
              globalThis as unknown as {
                runMlsWorkload: (o: MlsWorkloadOptions) => Promise<MlsWorkloadTimings>;
              }
            ).runMlsWorkload(o),
          options,
        ),
      );
    }
    return { timings, version: `Chromium ${browser.version()}` };
  } finally {
    await browser.close();
    server.close();
  }
}
