import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp, createLogger, type HttpApp } from '../src/index.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
const token = 'm'.repeat(20) + '0123456789abcdef';
const apps: HttpApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

function app(metricsToken?: string): HttpApp {
  const made = createHttpApp({ logger, metricsToken });
  apps.push(made);
  return made;
}

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const res = await app().inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('rchat_http_request_duration_seconds');
  });

  it('answers only the bearer of the token, and says how to ask', async () => {
    const server = app(token);
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Bearer ${token}x`,
      `Basic ${token}`,
      token,
    ]) {
      const res = await server.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, authorization ?? '(none)').toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json()).toMatchObject({
        error: {
          code: 'UNAUTHENTICATED',
          message: 'Metrics need "Authorization: Bearer <METRICS_TOKEN>".',
        },
      });
      expect(res.body).not.toContain('rchat_http_request_duration_seconds');
    }
    await server.inject({ method: 'GET', url: '/healthz' });
    const ok = await server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toContain(
      'rchat_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/healthz",status="200"}',
    );
  });
});
