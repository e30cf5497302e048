/**
 * Where a device stream's events go: the transport's framing (Server-Sent
 * Events over HTTP, `adapters/sse.ts`) stays out of the stream's ordering rules.
 */
export interface EventSink {
  /** Tells the client how long to wait before reconnecting. */
  retry(ms: number): void;
  /** Keeps the connection visibly alive between events. */
  heartbeat(): void;
  /**
   * One event: its type, its JSON body and, for inbox entries and `ready`, the sequence to resume
   * from.
   */
  event(type: string, data: unknown, id?: number): void;
  /** Bytes written that the client has not read yet. */
  readonly unreadBytes: number;
  /** The transport asks the writer to wait until it drains. */
  readonly needsDrain: boolean;
  /**
   * Calls `listener` once the transport drained or closed; answers a function that stops listening.
   */
  whenDrained(listener: () => void): () => void;
  /** Calls `listener` when the connection closes, from either side. */
  onClose(listener: () => void): void;
  /** Ends the stream after what was written. */
  end(): void;
  /** Drops the connection at once, with whatever is still buffered. */
  destroy(): void;
}
