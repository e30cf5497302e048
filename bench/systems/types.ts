/**
 * Every system under test (rchat, XMPP peers, ceilings) is a driver behind
 * this one interface; scenarios are written once against it.
 */

export type SystemKind = 'rchat' | 'peer' | 'ceiling';

export interface SystemInfo {
  /** Stable identifier used in results, e.g. `prosody-relay`. */
  id: string;
  /** Human label for tables and charts. */
  label: string;
  kind: SystemKind;
  /** Server software and version as detected at run time. */
  version: string;
  /**
   * Whether each accepted message is written to durable storage before or while it is delivered.
   */
  persisted: boolean;
  /**
   * What a "delivery" means for this system (e.g. pushed to the recipient, or commit acknowledged).
   */
  delivery: 'push' | 'ack';
  /** Settings that matter for a fair comparison, printed next to the numbers. */
  settings: Record<string, string | number | boolean>;
}

/** Called on every delivery of a benchmark message to a connected device. */
export type OnDelivery = (id: number, receivedAt: number) => void;

export interface ConnectOptions {
  /** Device index for users connected more than once (fan-out). */
  device: number;
  /** Called for every received benchmark message. */
  onDelivery: OnDelivery;
  /** Source address to connect from (spreads many connections over loopback addresses). */
  localAddress?: string;
  /**
   * The user will be connected on several devices at once; enable whatever multi-device delivery
   * needs.
   */
  multiDevice?: boolean;
  /**
   * Listen-only connection (idle scenario): a driver may reuse the account's existing session
   * credentials.
   */
  listenOnly?: boolean;
}

/** One connected device of one user. */
export interface Endpoint {
  readonly user: string;
  /** Makes `send(to, …)` ready (e.g. opens the conversation). Not timed. */
  prepare(to: string): Promise<void>;
  /** Fire-and-forget send of a `size`-byte payload that carries `id`. */
  send(to: string, id: number, size: number): void;
  close(): Promise<void>;
}

/** How long a process the driver started took to answer GET /readyz (scenario 8 may reuse it). */
export interface ColdStartSample {
  /** What started, as scenario 8 names it. */
  variant: string;
  readyMs: number;
}

export interface SystemDriver {
  readonly info: SystemInfo;
  /** Which scenarios make sense for this system (`oneToOne: false` skips scenarios 1–3). */
  readonly supports: { fanout: boolean; idle: boolean; oneToOne?: boolean };
  /** Starts (or attaches to) the server; throws a clear error when it cannot. */
  start(): Promise<void>;
  /** Stops what `start` started; safe to call more than once and after a failed start. */
  stop(): Promise<void>;
  /** Makes sure `count` accounts named `<prefix><i>` exist; returns their names. */
  users(prefix: string, count: number): Promise<string[]>;
  connect(user: string, options: ConnectOptions): Promise<Endpoint>;
  /** PIDs of the server process(es), for RSS. Empty when unknown. */
  serverPids(): number[];
  /** Errors seen by clients since the last call (failed sends etc.), drained on read. */
  takeErrors(): string[];
  /** Readiness times of the processes `start` spawned on fresh data (none when it attached). */
  coldStarts?(): ColdStartSample[];
}
