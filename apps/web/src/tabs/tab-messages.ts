import type { ClientEvents } from '../client/chat-client.ts';

/** Who is signed in on this browser, as the leader tab tells the others (plain data). */
export interface AccountSummary {
  userId: string;
  username: string;
  deviceId: string;
  backupWarnings: string[];
}

export type ConnectionStatus = Parameters<ClientEvents['status']>[0];

/** An error as it crosses tabs: the code and sentence the UI maps to text (`error-text.ts`). */
export interface WireError {
  code?: string;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
}

/**
 * What tabs of one browser profile say to each other on the BroadcastChannel.
 * Every message names its sender (`from`, a tab id); those for one tab name it in `to`.
 * `call` runs a client method in the leader (method name + structured-clonable arguments);
 * `ack` says it started, `moved` that it did not (the leader is handing over: send it to the next
 * one);
 * `handover` asks the leader to stop its client and let the lock go ("Use here").
 */
export type TabMessage =
  | { kind: 'hello'; from: string }
  | { kind: 'state'; from: string; account: AccountSummary | null; status: ConnectionStatus | null }
  | { kind: 'call'; from: string; to: string; id: number; method: string; args: unknown[] }
  | { kind: 'ack'; from: string; to: string; id: number }
  | { kind: 'moved'; from: string; to: string; id: number }
  | { kind: 'result'; from: string; to: string; id: number; ok: true; value: unknown }
  | { kind: 'result'; from: string; to: string; id: number; ok: false; error: WireError }
  | { kind: 'event'; from: string; name: keyof ClientEvents; args: unknown[] }
  | { kind: 'handover'; from: string; to: string };

/**
 * The events a client emits; the leader forwards each of them. `satisfies` keeps the list complete.
 */
export const clientEventNames = [
  'message',
  'conversation',
  'status',
  'devices',
  'accountDeleted',
  'warning',
  'alert',
] as const satisfies readonly (keyof ClientEvents)[];
type Missing = Exclude<keyof ClientEvents, (typeof clientEventNames)[number]>;
// A compile error here means a client event was added without adding it to the list above.
export const everyEventForwarded: Missing extends never ? true : Missing = true;

/** An error of any kind as plain data (an RchatError keeps its code, details and retry hint). */
export function toWireError(error: unknown): WireError {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as Partial<WireError>;
  return {
    message: typeof e.message === 'string' ? e.message : 'Something went wrong. Try again.',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
    ...(typeof e.retryAfterSeconds === 'number' ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
  };
}

/**
 * The error again, in this tab: an Error carrying the same code (the UI checks codes structurally).
 */
export function fromWireError(wire: WireError): Error {
  return Object.assign(new Error(wire.message), wire);
}
