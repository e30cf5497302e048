import { describe, expect, it } from 'vitest';
import { RchatApi } from './api.ts';
import { RchatError } from './errors.ts';

/** What nginx answers when no instance behind it can take the request. */
const nginxBadGateway =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const apiAnswering = (respond: () => Response) =>
  new RchatApi({ baseUrl: 'http://rchat.test', fetch: async () => respond() });
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('RchatApi errors a client can retry on', () => {
  it("turns a proxy's HTML error page into UNAVAILABLE with its status, not a JSON parse error", async () => {
    const err = await failureOf(
      apiAnswering(
        () =>
          new Response(nginxBadGateway, { status: 502, headers: { 'content-type': 'text/html' } }),
      ).wellKnown(),
    );
    expect(err).toBeInstanceOf(RchatError);
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      status: 502,
      message: expect.stringContaining('HTTP 502'),
    });
  });

  it("keeps the service's own error code and Retry-After", async () => {
    const body = JSON.stringify({
      error: { code: 'RATE_LIMITED', message: 'Too many messages.', requestId: 'r1' },
    });
    const err = await failureOf(
      apiAnswering(
        () => new Response(body, { status: 429, headers: { 'retry-after': '3' } }),
      ).wellKnown(),
    );
    expect(err).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      message: 'Too many messages.',
      retryAfterSeconds: 3,
    });
  });

  it('reports a connection that breaks mid-answer as NETWORK (status 0), as when the instance dies', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
        controller.error(new TypeError('terminated'));
      },
    });
    const err = await failureOf(
      apiAnswering(() => new Response(broken, { status: 201 })).wellKnown(),
    );
    expect(err).toMatchObject({ code: 'NETWORK', status: 0 });
  });
});
