import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RouteSpec } from '@rchat/protocol';
import {
  answer,
  bindRoutes,
  createHttpApp,
  createLogger,
  createMemoryBus,
  openCallerAuth,
  type BindRoutesOptions,
  type CallerAuth,
  type HttpApp,
  type RouteHandlers,
} from '../src/index.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
const opened: { apps: HttpApp[]; auth: CallerAuth[] } = { apps: [], auth: [] };
afterAll(async () => {
  for (const app of opened.apps) await app.close();
  for (const auth of opened.auth) auth.close();
});

const specs = [
  {
    method: 'GET',
    path: '/things/:id',
    service: 'users',
    auth: 'none',
    summary: 'A thing.',
    params: z.strictObject({ id: z.uuid() }),
    response: z.object({ name: z.string() }),
    status: 200,
    errors: ['VALIDATION_FAILED'],
  },
  {
    method: 'POST',
    path: '/things',
    service: 'users',
    auth: 'bearer',
    summary: 'Make a thing.',
    body: z.strictObject({ name: z.string() }),
    response: z.object({ name: z.string() }),
    status: 201,
    errors: ['UNAUTHENTICATED'],
  },
] as const satisfies readonly RouteSpec[];

/** An HTTP app and caller checks that are closed after the tests. */
async function openApp(): Promise<{ app: HttpApp; auth: CallerAuth }> {
  const app = createHttpApp({ logger });
  opened.apps.push(app);
  const auth = await openCallerAuth({
    bus: createMemoryBus(),
    keySet: async () => ({ keys: [] }),
    revocations: undefined,
    logger,
  });
  opened.auth.push(auth);
  return { app, auth };
}

async function serve(
  handlers: RouteHandlers<(typeof specs)[number]>,
  responseValidation: BindRoutesOptions['responseValidation'],
): Promise<HttpApp> {
  const { app, auth } = await openApp();
  bindRoutes(app, specs, handlers, { auth, internalToken: undefined, responseValidation });
  return app;
}

describe('bindRoutes', () => {
  it('answers 500 in strict mode when a handler answers another shape than the route table says', async () => {
    const handlers = {
      // Wrong on purpose: the spec says `name` is a string.
      'GET /things/:id': () => ({ name: 42 }) as unknown as { name: string },
      'POST /things': ({ body }: { body: { name: string } }) => answer(201, body),
    };
    const strict = await serve(handlers, 'strict');
    const res = await strict.inject({
      method: 'GET',
      url: '/things/6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9f8e7d',
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('INTERNAL');

    const off = await serve(handlers, 'off');
    const lenient = await off.inject({
      method: 'GET',
      url: '/things/6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9f8e7d',
    });
    expect(lenient.statusCode).toBe(200);
  });

  it('parses params with the spec and enforces its auth before the handler runs', async () => {
    let calls = 0;
    const app = await serve(
      {
        'GET /things/:id': ({ params }) => ({ name: params.id }),
        'POST /things': ({ body }) => {
          calls++;
          return answer(201, body);
        },
      },
      'strict',
    );
    const bad = await app.inject({ method: 'GET', url: '/things/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params.id');
    const anonymous = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    expect(calls).toBe(0);
  });

  it('serves the routes under the prefix of the plugin scope they are bound in', async () => {
    const { app, auth } = await openApp();
    await app.register(
      async (scope) =>
        bindRoutes(
          scope,
          specs,
          {
            'GET /things/:id': ({ params }) => ({ name: params.id }),
            'POST /things': ({ body }) => answer(201, body),
          },
          { auth, internalToken: undefined, responseValidation: 'strict' },
        ),
      { prefix: '/v1' },
    );
    const id = '6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9f8e7d';
    const res = await app.inject({ method: 'GET', url: `/v1/things/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: id });
    expect((await app.inject({ method: 'GET', url: `/things/${id}` })).statusCode).toBe(404);
  });

  it('refuses to start when a route has no handler or a handler no route', async () => {
    const handle = () => ({ name: 'x' });
    await expect(
      // @ts-expect-error -- the handler of POST /things is missing
      serve({ 'GET /things/:id': handle }, 'off'),
    ).rejects.toThrow('no handler for POST /things');
    await expect(
      serve(
        {
          'GET /things/:id': handle,
          'POST /things': handle,
          // @ts-expect-error -- no such route in the table
          'GET /other': handle,
        },
        'off',
      ),
    ).rejects.toThrow('no route for handler GET /other');
  });

  it('refuses to start when a route needs a certified device and nothing checks one', async () => {
    const { app, auth } = await openApp();
    const certified = [
      { ...specs[1], device: 'certified' },
    ] as const satisfies readonly RouteSpec[];
    expect(() =>
      bindRoutes(
        app,
        certified,
        { 'POST /things': ({ body }) => answer(201, body) },
        { auth, internalToken: undefined, responseValidation: 'off' },
      ),
    ).toThrow('No certifiedDevice check for routes that need a certified device: POST /things.');
  });
});
