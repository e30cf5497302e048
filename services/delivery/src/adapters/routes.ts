import type { OutgoingHttpHeaders } from 'node:http';
import type { ServiceRoute } from '@rchat/protocol';
import { AppError, type Caller, type Logger, type RouteHandlers } from '@rchat/server-kit';
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

export interface DeliveryRouteDeps {
  registry: StreamRegistry;
  readInbox: InboxReader;
  limits: StreamLimits;
  /** Streams one user may have open on this instance. */
  maxStreamsPerUser: number;
  logger: Logger;
}

/** The delivery service's route: the caller's event stream, which takes the reply over. */
export function deliveryHandlers(deps: DeliveryRouteDeps): RouteHandlers<ServiceRoute<'delivery'>> {
  return {
    // No rate limit here: a stream is long-lived, and reconnects are paced by `retry:`. The open
    // streams per user are capped.
    'GET /events': {
      stream: async ({ caller, query, request, reply }) => {
        const cursor = parseCursor(request.headers['last-event-id'], query.since);
        refusePastStreamCap(deps, caller);
        const res = reply.raw;
        // The headers set so far (CORS, by the HTTP app) go out with the stream's own.
        const headers: OutgoingHttpHeaders = {
          ...(reply.getHeaders() as OutgoingHttpHeaders),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        };
        reply.hijack();
        res.writeHead(200, headers);
        res.socket?.setNoDelay(true);
        const stream = new DeviceStream(
          caller.userId,
          caller.deviceId,
          sseSink(res),
          deps.readInbox,
          deps.limits,
          deps.logger,
          (s) => deps.registry.remove(s),
          cursor,
        );
        deps.registry.add(stream);
        await stream.start(caller.expiresAt);
      },
    },
  };
}

/**
 * Checked and added in one tick (nothing awaited in between), so concurrent connects cannot pass
 * the cap.
 */
function refusePastStreamCap(deps: DeliveryRouteDeps, caller: Caller): void {
  if (deps.registry.countOf(caller.userId) < deps.maxStreamsPerUser) return;
  throw new AppError(
    'TOO_MANY_STREAMS',
    `This account already has ${deps.maxStreamsPerUser} event streams open here; close one (another tab or device) or retry later.`,
    { headers: { 'retry-after': String(STREAM_SLOT_RETRY_SECONDS) } },
  );
}
