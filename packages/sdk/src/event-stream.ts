import {
  inboxEntrySchema,
  streamByeSchema,
  streamReadySchema,
  type InboxEntry,
} from '@rchat/protocol';
import type { z } from 'zod';
import {
  badResponse,
  errorFromAnswer,
  networkError,
  parseJson,
  timeoutError,
} from './answer-errors.ts';
import { RchatError } from './errors.ts';
import { SseParser } from './sse-parser.ts';

export interface EventStreamOptions {
  url: string;
  /**
   * Returns a valid access token; `renew` asks for a fresh one (after the server ended the stream
   * for expiry).
   */
  token: (renew: boolean) => Promise<string>;
  fetch?: typeof fetch;
  /** Resume after this inbox sequence; omitted means "from now". */
  since?: number;
  /**
   * The cursor each reconnect resumes from: what the caller has processed and
   * stored (default: the last entry received). The server takes it as an
   * acknowledgment (inbox retention may delete what every device has passed),
   * so a caller that processes entries after receiving them should give it;
   * entries received twice are dropped here.
   */
  resumeFrom?: () => Promise<number | undefined>;
  onEntry?: (entry: InboxEntry) => void;
  /** Called when the stream is live (after any backlog), with the newest sequence. */
  onReady?: (headSeq: number) => void;
  onStatus?: (status: 'connecting' | 'live' | 'reconnecting' | 'closed', error?: unknown) => void;
  /** Upper bound of the reconnect backoff, in ms. */
  maxBackoffMs?: number;
  /** The server must answer a (re)connect within this many ms (default 30 s). */
  connectTimeoutMs?: number;
  /**
   * A stream that brings no byte for this long (default 45 s: three of the
   * server's 15 s heartbeats) is taken for dead, say behind a proxy that
   * dropped it silently, and reconnected.
   */
  idleTimeoutMs?: number;
}

/**
 * The caller's inbox as a live stream over Server-Sent Events (fetch-based,
 * so it runs in Node and browsers and sends the token in a header). It
 * reconnects by itself with Last-Event-ID, so entries arrive exactly once and
 * in order across reconnects.
 */
export class EventStream {
  private controller: AbortController | null = null;
  private stopped = false;
  private seq: number | undefined;
  private retryMs = 1_000;
  /**
   * Set by `restart`: the next connection's entries after `from` are new to the caller, even those
   * received before.
   */
  private replay = false;
  readonly done: Promise<void>;

  constructor(private readonly options: EventStreamOptions) {
    this.seq = options.since;
    this.done = this.run();
  }

  /** Sequence of the last entry received (the resume cursor). */
  get lastSeq(): number | undefined {
    return this.seq;
  }

  close(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  /**
   * Drops the current connection and connects again (after the usual pause),
   * resuming from `resumeFrom`: entries received before but not processed are
   * received again (the caller let them go).
   */
  restart(): void {
    this.replay = true;
    this.controller?.abort();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let renew = false;
    const fetchImpl = this.options.fetch ?? ((i, init) => fetch(i, init));
    while (!this.stopped) {
      this.options.onStatus?.(attempt === 0 ? 'connecting' : 'reconnecting');
      this.controller = new AbortController();
      try {
        const token = await this.options.token(renew);
        renew = false;
        const headers: Record<string, string> = {
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        };
        const from = (await this.options.resumeFrom?.()) ?? this.seq;
        if (from !== undefined) headers['last-event-id'] = String(from);
        if (this.replay) {
          // Whatever the old connection still handed over, what comes now starts after `from`.
          this.replay = false;
          this.seq = from;
        }
        const res = await this.connect(fetchImpl, headers);
        // A 401 asks for a fresh token on the next try, unless its code says the session is
        // over (the device was removed or signed out): then the stream ends below.
        if (res.status === 401) renew = true;
        if (!res.ok)
          throw errorFromAnswer(
            res.status,
            await res.text().catch(() => ''),
            res.headers.get('retry-after'),
          );
        if (!res.body) throw badResponse(res.status, 'has no event stream');
        const outcome = await this.consume(res.body);
        if (outcome === 'token-expired') renew = true;
        attempt = 0;
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof RchatError && fatalCodes.has(e.code)) {
          // The session is over (revoked, reused refresh token, device removed): retrying cannot
          // help.
          this.stopped = true;
          this.options.onStatus?.('closed', e);
          return;
        }
        attempt++;
        this.options.onStatus?.('reconnecting', e);
      }
      if (this.stopped) break;
      const backoff =
        attempt === 0
          ? this.retryMs
          : Math.min(
              this.options.maxBackoffMs ?? 30_000,
              this.retryMs * 2 ** Math.min(attempt - 1, 5),
            );
      await sleep(backoff * (attempt === 0 ? 1 : 0.5 + Math.random() / 2));
    }
    this.options.onStatus?.('closed');
  }

  /** Opens the stream; the answer's headers must arrive within the connect timeout. */
  private async connect(
    fetchImpl: typeof fetch,
    headers: Record<string, string>,
  ): Promise<Response> {
    const controller = this.controller as AbortController;
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      return await fetchImpl(this.options.url, { headers, signal: controller.signal });
    } catch (cause) {
      throw timedOut ? timeoutError(timeoutMs) : networkError(cause);
    } finally {
      clearTimeout(timer);
    }
  }

  private async consume(body: ReadableStream<Uint8Array>): Promise<string> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const idleMs = this.options.idleTimeoutMs ?? 45_000;
    let reason = 'eof';
    for (;;) {
      const { value, done } = await readWithin(reader, idleMs);
      if (done) return reason;
      for (const ev of parser.feed(decoder.decode(value, { stream: true }))) {
        if (ev.retry !== undefined) this.retryMs = ev.retry;
        if (ev.event === 'ready') {
          const { headSeq } = parseEvent(streamReadySchema, ev.data);
          this.seq = headSeq;
          this.options.onStatus?.('live');
          this.options.onReady?.(headSeq);
        } else if (ev.event === 'bye') {
          reason = parseEvent(streamByeSchema, ev.data).reason;
        } else if (ev.id !== undefined) {
          const entry = parseEvent(inboxEntrySchema, ev.data);
          if (this.seq !== undefined && entry.seq <= this.seq) continue;
          this.seq = entry.seq;
          this.options.onEntry?.(entry);
        }
      }
    }
  }
}

const fatalCodes = new Set<string>([
  'INVALID_REFRESH_TOKEN',
  'REFRESH_TOKEN_REUSED',
  'DEVICE_REVOKED',
  'IDENTITY_RESET',
]);

/**
 * One event's data, checked; a malformed one ends this connection with BAD_RESPONSE (the stream
 * reconnects from its cursor).
 */
function parseEvent<S extends z.ZodType>(schema: S, data: string): z.output<S> {
  const parsed = schema.safeParse(parseJson(data));
  if (!parsed.success)
    throw badResponse(
      200,
      'carries an event that does not match the protocol',
      parsed.error.issues,
    );
  return parsed.data;
}

/**
 * The next chunk, or a TIMEOUT when none comes within `ms` (the reader is cancelled, so the
 * connection ends).
 */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timeoutError(ms));
      void reader.cancel().catch(() => undefined);
    }, ms);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
