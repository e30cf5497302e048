import { SseParser } from '@rchat/sdk';

/** What one event-stream connection carried on the wire, before the SDK's own de-duplication. */
export interface WireConnection {
  /** The Last-Event-ID the client sent to open it (null: none). */
  lastEventId: string | null;
  events: { id: string | undefined; event: string }[];
}

/**
 * A fetch for RchatApi that records every /events connection it opens: the
 * resume cursor it sent and each event's id as it arrived.
 */
export function recordingFetch(connections: WireConnection[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname !== '/events' || !res.body) return res;
    const connection: WireConnection = {
      lastEventId: new Headers(init?.headers).get('last-event-id'),
      events: [],
    };
    connections.push(connection);
    const [mine, theirs] = res.body.tee();
    void record(mine, connection);
    return new Response(theirs, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

async function record(body: ReadableStream<Uint8Array>, connection: WireConnection): Promise<void> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const ev of parser.feed(decoder.decode(value, { stream: true })))
        connection.events.push({ id: ev.id, event: ev.event });
    }
  } catch {
    // The connection broke (an instance was killed, or the client closed it): what arrived is
    // recorded.
  }
}

/**
 * Sequence numbers of the inbox entries a device's connections carried, in arrival order (the
 * `ready` marker excluded).
 */
export function wireSeqs(connections: readonly WireConnection[]): number[] {
  return connections.flatMap((c) =>
    c.events.filter((e) => e.event !== 'ready' && e.id !== undefined).map((e) => Number(e.id)),
  );
}

/** The last event id a connection carried (what a client resumes from). */
export function lastId(connection: WireConnection | undefined): string | undefined {
  return connection?.events.filter((e) => e.id !== undefined).at(-1)?.id;
}
