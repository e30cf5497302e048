import { eventsQuerySchema, inboxEntrySchema } from '../events.ts';
import { authErrors, type RouteSpec } from './spec.ts';

/** Public routes of the delivery service: the event stream. */
export const deliveryRoutes = [
  {
    method: 'GET',
    path: '/events',
    service: 'delivery',
    auth: 'bearer-or-query',
    summary:
      "Server-Sent Events of the caller's inbox. Each event's `id` is the inbox sequence and its `data` an inbox entry; reconnect with `Last-Event-ID` (or `?since=`) to get exactly what was missed. Also sends `ready` (live, with `headSeq`), `bye` (the server ends the stream: `token-expired`, `shutdown`) and `: hb` comments. An account may have `MAX_STREAMS_PER_USER` streams open per instance.",
    query: eventsQuerySchema,
    response: inboxEntrySchema,
    contentType: 'text/event-stream',
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'TOO_MANY_STREAMS'],
  },
] as const satisfies readonly RouteSpec[];
