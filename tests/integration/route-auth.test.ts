// Derived from the protocol's route tables: every route, public and internal, refuses a caller
// without
// credentials exactly as its spec's `auth` says, so no endpoint can be added with its check
// forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalRouteTable, routeTable, type RouteSpec } from '@rchat/protocol';
import { readInternal } from '@rchat/server-kit';
import { startPlatform, type Platform } from '../support/platform.ts';

const INTERNAL_TOKEN = 'i'.repeat(40);
let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ env: { INTERNAL_TOKEN } });
});
afterAll(async () => platform?.close());

/**
 * Each `:param` filled with a valid-looking id, so the refusal is the route's and not the router's.
 */
const dummyId = '6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9f8e7d';
const pathOf = (spec: RouteSpec) => spec.path.replace(/:\w+/g, dummyId);

const expected: Record<RouteSpec['auth'], { status: number; code: string } | 'not 401'> = {
  bearer: { status: 401, code: 'UNAUTHENTICATED' },
  'bearer-or-query': { status: 401, code: 'UNAUTHENTICATED' },
  internal: { status: 403, code: 'FORBIDDEN' },
  none: 'not 401',
};

describe.each([...routeTable, ...internalRouteTable] as RouteSpec[])(
  '$method $path ($auth)',
  (spec) => {
    it('answers a request without credentials as its auth says', async () => {
      const res = await fetch(`${platform.url}${pathOf(spec)}`, {
        method: spec.method,
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => undefined)) as
        | { error?: { code?: string } }
        | undefined;
      const want = expected[spec.auth];
      if (want === 'not 401') {
        expect(res.status).not.toBe(401);
        expect(body?.error?.code).not.toBe('UNAUTHENTICATED');
      } else {
        expect({ status: res.status, code: body?.error?.code }).toEqual(want);
      }
    });
  },
);

// Scaled out, services read each other over these; here they answer a service as the table says
// (the tests run with RESPONSE_VALIDATION=strict, so an answer of another shape would be a 500).
describe.each(internalRouteTable as readonly RouteSpec[])('$method $path', (spec) => {
  it('answers the holder of the internal token', async () => {
    const query = spec.path === '/internal/active-devices' ? `?users=${dummyId}` : '';
    const res = await fetch(`${platform.url}${pathOf(spec)}${query}`, {
      method: spec.method,
      headers: { 'x-internal-token': INTERNAL_TOKEN },
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status, await res.text()).toBe(spec.status);
  });
});

// The services' own client of these routes: each read is built from the route's spec (path, params,
// query) and its answer parsed with the spec's response schema.
describe('readInternal', () => {
  it('reads every internal route by its key', async () => {
    const read = {
      'GET /internal/revoked-devices': (
        await readInternal(platform.url, 'GET /internal/revoked-devices', INTERNAL_TOKEN)
      ).revoked,
      'GET /internal/deleted-accounts': (
        await readInternal(platform.url, 'GET /internal/deleted-accounts', INTERNAL_TOKEN)
      ).deleted,
      'GET /internal/active-devices': (
        await readInternal(platform.url, 'GET /internal/active-devices', INTERNAL_TOKEN, {
          query: { users: [dummyId, dummyId.replace('6f', '7a')].join(',') },
        })
      ).devices,
      'GET /internal/inbox/:userId': (
        await readInternal(platform.url, 'GET /internal/inbox/:userId', INTERNAL_TOKEN, {
          params: { userId: dummyId },
          query: { after: 0, limit: 10 },
        })
      ).entries,
    };
    expect(Object.keys(read).sort()).toEqual(
      internalRouteTable.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const answer of Object.values(read)) expect(answer).toEqual([]);
  });

  it('fails with the status when the token is wrong', async () => {
    await expect(
      readInternal(platform.url, 'GET /internal/deleted-accounts', 'x'.repeat(40)),
    ).rejects.toThrow('GET /internal/deleted-accounts read failed with HTTP 403');
  });
});

// A session made with the password alone is an uncertified device: every route whose spec says
// `device: 'certified'` refuses it before reading the request (so even an empty body gets the 403).
const certifiedRoutes = (routeTable as readonly RouteSpec[]).filter(
  (r) => r.device === 'certified',
);
describe('routes for certified devices', () => {
  let accessToken: string;
  beforeAll(async () => {
    const res = await fetch(`${platform.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'uncertified_ada',
        password: 'correct horse battery staple',
        device: { name: 'new laptop' },
      }),
    });
    expect(res.status).toBe(201);
    ({ accessToken } = (await res.json()) as { accessToken: string });
  });

  it('are the routes that change the account, its password or its backups', () => {
    expect(certifiedRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /backup/entries',
      'POST /auth/delete-account',
      'POST /auth/sign-out-others',
      'POST /backup/entries',
      'PUT /auth/password',
      'PUT /backup/secret',
    ]);
  });

  it.each(certifiedRoutes)('$method $path refuses an uncertified device', async (spec) => {
    const res = await fetch(`${platform.url}${pathOf(spec)}`, {
      method: spec.method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(spec.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(spec.body ? { body: '{}' } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    expect({ status: res.status, code: body.error?.code }).toEqual({
      status: 403,
      code: 'DEVICE_NOT_CERTIFIED',
    });
    expect(spec.errors).toContain('DEVICE_NOT_CERTIFIED');
  });
});
