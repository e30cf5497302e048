// CORS is answered in one place (server-kit's HTTP app), for JSON routes and for the event stream
// alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerUser, type TestUser } from '../support/users.ts';

const allowed = 'https://chat.example';
let platform: Platform;
let alice: TestUser;
beforeAll(async () => {
  platform = await startPlatform({ env: { CORS_ORIGINS: allowed } });
  alice = await registerUser(platform.url, 'alice');
});
afterAll(async () => platform?.close());

describe('CORS', () => {
  it('allows a listed origin on a JSON route and on the event stream, and no other origin', async () => {
    const token = alice.api.session?.accessToken ?? '';
    const headers = (origin: string) => ({ origin, authorization: `Bearer ${token}` });
    const json = await fetch(`${platform.url}/conversations`, { headers: headers(allowed) });
    expect(json.status).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe(allowed);

    for (const [origin, expected] of [
      [allowed, allowed],
      ['https://elsewhere.example', null],
    ] as const) {
      const controller = new AbortController();
      const stream = await fetch(`${platform.url}/events`, {
        headers: headers(origin),
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get('access-control-allow-origin')).toBe(expected);
      controller.abort();
      await stream.body?.cancel().catch(() => undefined);
    }

    const preflight = await fetch(`${platform.url}/events`, {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('last-event-id');
  });
});
