import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RchatApi } from './api.ts';
import { RchatError } from './errors.ts';

/**
 * The SDK against a real HTTP server that misbehaves the way proxies and
 * broken servers do: every failure is an RchatError with a code a program can
 * branch on, never a SyntaxError, an undefined field or a request that hangs.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = new Map<string, Handler>();
let server: Server;
let baseUrl: string;
const hanging = new Set<ServerResponse>();

const conversation = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'direct',
  members: [],
  lastActivityAt: new Date(0).toISOString(),
  lastSeq: 0,
  epoch: 0,
  readSeq: 0,
  unreadCount: 0,
  createdAt: new Date(0).toISOString(),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const handler = handlers.get(`${req.method ?? ''} ${req.url ?? ''}`);
    if (handler) handler(req, res);
    else
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such route in this test.' } }),
        );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function answer(
  route: string,
  status: number,
  body: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  handlers.set(route, (_req, res) =>
    res.writeHead(status, { 'content-type': contentType, ...headers }).end(body),
  );
}

async function failure(p: Promise<unknown>): Promise<RchatError> {
  const e = await p.then(
    (v) => new Error(`resolved with ${JSON.stringify(v)}`),
    (err: unknown) => err,
  );
  if (!(e instanceof RchatError)) throw e instanceof Error ? e : new Error(String(e));
  return e;
}

const api = (options: { requestTimeoutMs?: number } = {}) => new RchatApi({ baseUrl, ...options });

describe('the SDK at the HTTP boundary', () => {
  it("a proxy's HTML 502 page is UNAVAILABLE with the proxy's status, not a SyntaxError", async () => {
    answer(
      'GET /.well-known/rchat',
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'text/html',
    );
    const e = await failure(api().wellKnown());
    expect({ code: e.code, status: e.status }).toEqual({ code: 'UNAVAILABLE', status: 502 });
    expect(e.message).toMatch(/unavailable/i);
  });

  it("a proxy's 413 and 429 pages keep their meaning", async () => {
    answer('GET /.well-known/rchat', 413, '<html>Request Entity Too Large</html>', 'text/html');
    expect(await failure(api().wellKnown())).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
    answer('GET /.well-known/rchat', 429, 'slow down', 'text/plain', { 'retry-after': '7' });
    expect(await failure(api().wellKnown())).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterSeconds: 7,
    });
  });

  it("rchat's own error body keeps its code, status, details and Retry-After", async () => {
    const body = {
      error: {
        code: 'RATE_LIMITED',
        message: 'Too many requests; retry later.',
        requestId: 'r1',
        details: [{ path: 'x', message: 'y' }],
      },
    };
    answer('GET /.well-known/rchat', 429, JSON.stringify(body), 'application/json', {
      'retry-after': '3',
    });
    expect(await failure(api().wellKnown())).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterSeconds: 3,
      details: [{ path: 'x', message: 'y' }],
    });
  });

  it('an error body with a code rchat does not have is BAD_RESPONSE (4xx) or UNAVAILABLE (5xx)', async () => {
    answer(
      'GET /.well-known/rchat',
      418,
      JSON.stringify({ error: { code: 'I_AM_A_TEAPOT', message: 'short and stout' } }),
    );
    expect(await failure(api().wellKnown())).toMatchObject({ code: 'BAD_RESPONSE', status: 418 });
    answer('GET /.well-known/rchat', 500, JSON.stringify({ message: 'Internal Server Error' }));
    expect(await failure(api().wellKnown())).toMatchObject({ code: 'UNAVAILABLE', status: 500 });
  });

  it('a response that never comes is TIMEOUT after the configured time', async () => {
    handlers.set('GET /.well-known/rchat', (_req, res) => hanging.add(res));
    const e = await failure(api({ requestTimeoutMs: 300 }).wellKnown());
    expect({ code: e.code, status: e.status }).toEqual({ code: 'TIMEOUT', status: 0 });
  });

  it('a body that stops half way is TIMEOUT too (the timeout covers reading the answer)', async () => {
    handlers.set('GET /.well-known/rchat', (_req, res) => {
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"apiVersion": 1, ');
    });
    expect(await failure(api({ requestTimeoutMs: 300 }).wellKnown())).toMatchObject({
      code: 'TIMEOUT',
      status: 0,
    });
  });

  it('a success body that is not JSON is BAD_RESPONSE with its status', async () => {
    answer('GET /.well-known/rchat', 200, '{"apiVersion": 1,', 'application/json');
    expect(await failure(api().wellKnown())).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
    answer(
      'GET /.well-known/rchat',
      200,
      '<!doctype html><title>Sign in to the Wi-Fi</title>',
      'text/html',
    );
    expect(await failure(api().wellKnown())).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
  });

  it('a response missing a field, or with one of the wrong type, is BAD_RESPONSE naming the field', async () => {
    const { id: _id, ...withoutId } = conversation;
    answer(`GET /conversations/${conversation.id}`, 200, JSON.stringify(withoutId));
    const missing = await failure(api().conversation(conversation.id));
    expect({ code: missing.code, status: missing.status }).toEqual({
      code: 'BAD_RESPONSE',
      status: 200,
    });
    expect(missing.details).toEqual([expect.objectContaining({ path: 'id' })]);
    answer(
      'GET /conversations',
      200,
      JSON.stringify({ conversations: [{ ...conversation, unreadCount: 'many' }] }),
    );
    const wrong = await failure(api().conversations());
    expect(wrong.details).toEqual([
      expect.objectContaining({ path: 'conversations.0.unreadCount' }),
    ]);
  });

  it('a well-formed response is returned as the route table types it (unknown fields dropped)', async () => {
    answer(
      'GET /conversations',
      200,
      JSON.stringify({ conversations: [{ ...conversation, futureField: 1 }] }),
    );
    const [first] = await api().conversations();
    expect(first?.id).toBe(conversation.id);
    expect(first).not.toHaveProperty('futureField');
  });

  it('a server that cannot be reached is NETWORK with status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await failure(new RchatApi({ baseUrl: `http://127.0.0.1:${port}` }).wellKnown());
    expect({ code: e.code, status: e.status }).toEqual({ code: 'NETWORK', status: 0 });
  });
});

describe('the event stream at the HTTP boundary', () => {
  it('reconnects a stream that goes silent (no heartbeat) with TIMEOUT, resuming after its cursor', async () => {
    const lastEventIds: (string | undefined)[] = [];
    handlers.set('GET /events', (req, res) => {
      lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: 4\nevent: ready\ndata: {"headSeq":4}\n\n`);
    });
    const session = {
      accessToken: 't',
      refreshToken: 'r',
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    } as never;
    const errors: unknown[] = [];
    const stream = new RchatApi({ baseUrl, session }).events({
      idleTimeoutMs: 200,
      maxBackoffMs: 50,
      onStatus: (status, e) => status === 'reconnecting' && e && errors.push(e),
    });
    try {
      await expect.poll(() => lastEventIds.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      stream.close();
    }
    expect(lastEventIds[1]).toBe('4');
    expect(errors[0]).toMatchObject({ code: 'TIMEOUT' });
  });

  it('an event that does not match the protocol ends the connection with BAD_RESPONSE, not a crash', async () => {
    let connects = 0;
    handlers.set('GET /events', (_req, res) => {
      connects++;
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: ready\ndata: {"headSeq":"four"}\n\n`);
    });
    const session = {
      accessToken: 't',
      refreshToken: 'r',
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    } as never;
    const errors: unknown[] = [];
    const stream = new RchatApi({ baseUrl, session }).events({
      maxBackoffMs: 50,
      onStatus: (status, e) => status === 'reconnecting' && e && errors.push(e),
    });
    try {
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
    expect(errors[0]).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
    expect(connects).toBeGreaterThanOrEqual(1);
  });
});
