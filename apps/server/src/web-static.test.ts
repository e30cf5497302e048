import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@rchat/protocol';
import { createHttpApp, createLogger, type HttpApp } from '@rchat/server-kit';
import { isApiPath, registerWebClient } from './web-static.ts';

const logger = createLogger({ level: 'silent', name: 'web-static-test' });
const html =
  '<!doctype html><title>rchat</title><script type="module" src="/assets/index-abc123.js"></script>';
const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;

describe('web client serving', () => {
  let dir: string;
  let app: HttpApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rchat-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), html);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'assets/index-abc123.js'), script);
    writeFileSync(join(dir, 'assets/index-abc123.js.gz'), gzipSync(script));
    app = createHttpApp({ logger });
    app.get('/users/:id', async () => ({ id: 'api' }));
    expect(await registerWebClient(app, dir, logger)).toBe(true);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and client routes with index.html under a strict policy, never cached stale', async () => {
    for (const url of ['/', '/login', '/chat/3f1c2a9e-0000-4000-8000-000000000000']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toBe(html);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable, precompressed when the browser accepts it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never shadows the API: its routes answer, and unknown API paths keep the JSON 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/users/abc' })).json()).toEqual({ id: 'api' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    for (const url of [
      '/users/abc/nothing',
      '/conversations/x/y',
      '/auth/whatever',
      '/.well-known/other',
      '/internal/inbox',
      '/events/x',
      '/keys/x',
      '/inbox/x',
      '/devices/x/y/z',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
    }
  });

  it('knows every public API prefix of the route table, so no API path ever gets the page', () => {
    expect(routes.map((r) => r.path).filter((path) => !isApiPath(path))).toEqual([]);
  });

  it('answers a missing file and other methods with 404, not the page', async () => {
    for (const [method, url] of [
      ['GET', '/assets/gone-123.js'],
      ['GET', '/robots.txt'],
      ['POST', '/'],
      ['POST', '/login'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/json/);
    }
  });

  it('serves nothing when there is no build', async () => {
    const bare = createHttpApp({ logger });
    expect(await registerWebClient(bare, join(dir, 'missing'), logger)).toBe(false);
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});
