import type { FastifyInstance } from 'fastify';
import { eventsQuerySchema } from '@rchat/protocol';
import {
  authenticate,
  parseInput,
  AppError,
  type Logger,
  type TokenVerifier,
} from '@rchat/server-kit';
import { DeviceStream, type StreamLimits } from '../app/device-stream.ts';
import type { InboxReader } from '../app/inbox-reader.ts';
import type { StreamRegistry } from '../app/stream-registry.ts';
import { sseSink } from './sse.ts';

/** Retry-After of a refused stream: a slot frees when one of the account's streams ends. */
const STREAM_SLOT_RETRY_SECONDS = 30;

function parseCursor(
  lastEventId: string | string[] | undefined,
  since: number | undefined,
): number | null {
  if (typeof lastEventId === 'string' && lastEventId !== '') {
    if (!/^\d{1,15}$/.test(lastEventId))
      throw new AppError('VALIDATION_FAILED', 'Last-Event-ID must be an inbox sequence number.');
    return Number(lastEventId);
  }
  return since ?? null;
}

export function registerDeliveryRoutes(
  app: FastifyInstance,
  deps: {
    verifier: TokenVerifier;
    registry: StreamRegistry;
    readInbox: InboxReader;
    limits: StreamLimits;
    /** Streams one user may have open on this instance. */
    maxStreamsPerUser: number;
    logger: Logger;
    corsOrigins: readonly string[];
  },
): void {
  // No rate limit here: a stream is long-lived, and reconnects are paced by `retry:`. The open streams per user are capped.
  app.get('/events', async (request, reply) => {
    const query = parseInput(eventsQuerySchema, request.query, 'query');
    const token = await authenticate(request, deps.verifier, { allowQueryToken: true });
    const cursor = parseCursor(request.headers['last-event-id'], query.since);
    // Checked and added in one tick (nothing awaited in between), so concurrent connects cannot pass the cap.
    if (deps.registry.countOf(token.sub) >= deps.maxStreamsPerUser) {
      throw new AppError(
        'TOO_MANY_STREAMS',
        `This account already has ${deps.maxStreamsPerUser} event streams open here; close one (another tab or device) or retry later.`,
        {
          headers: { 'retry-after': String(STREAM_SLOT_RETRY_SECONDS) },
        },
      );
    }
    const res = reply.raw;
    const headers: Record<string, string> = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    };
    const origin = request.headers.origin;
    if (origin && (deps.corsOrigins.includes(origin) || deps.corsOrigins.includes('*')))
      headers['access-control-allow-origin'] = origin;
    reply.hijack();
    res.writeHead(200, headers);
    res.socket?.setNoDelay(true);
    const stream = new DeviceStream(
      token.sub,
      token.did,
      sseSink(res),
      deps.readInbox,
      deps.limits,
      deps.logger,
      (s) => deps.registry.remove(s),
      cursor,
    );
    deps.registry.add(stream);
    await stream.start(token.expiresAt);
  });
}
