import type { FastifyInstance } from 'fastify';
import { eventsQuerySchema } from '@rchat/protocol';
import { authenticate, parseInput, AppError, type Logger, type TokenVerifier } from '@rchat/server-kit';
import { DeviceStream, type StreamLimits } from '../app/device-stream.ts';
import type { InboxReader } from '../app/inbox-reader.ts';
import type { StreamRegistry } from '../app/stream-registry.ts';

function parseCursor(lastEventId: string | string[] | undefined, since: number | undefined): number | null {
  if (typeof lastEventId === 'string' && lastEventId !== '') {
    if (!/^\d{1,15}$/.test(lastEventId)) throw new AppError('VALIDATION_FAILED', 'Last-Event-ID must be an inbox sequence number.');
    return Number(lastEventId);
  }
  return since ?? null;
}

export function registerDeliveryRoutes(
  app: FastifyInstance,
  deps: { verifier: TokenVerifier; registry: StreamRegistry; readInbox: InboxReader; limits: StreamLimits; logger: Logger; corsOrigins: readonly string[] },
): void {
  // No rate limit here: a stream is long-lived, and reconnects are paced by `retry:`.
  app.get('/events', async (request, reply) => {
    const query = parseInput(eventsQuerySchema, request.query, 'query');
    const token = await authenticate(request, deps.verifier, { allowQueryToken: true });
    const cursor = parseCursor(request.headers['last-event-id'], query.since);
    const res = reply.raw;
    const headers: Record<string, string> = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    };
    const origin = request.headers.origin;
    if (origin && (deps.corsOrigins.includes(origin) || deps.corsOrigins.includes('*'))) headers['access-control-allow-origin'] = origin;
    reply.hijack();
    res.writeHead(200, headers);
    res.socket?.setNoDelay(true);
    const stream = new DeviceStream(token.sub, token.did, res, deps.readInbox, deps.limits, deps.logger, (s) => deps.registry.remove(s), cursor);
    deps.registry.add(stream);
    await stream.start(token.expiresAt);
  });
}
