import { fromUtf8, utf8 } from '../util/bytes.ts';

export const envelopeVersion = 1;

/** Upper bound for an encoded envelope (attachments travel separately). */
export const maxEnvelopeBytes = 256 * 1024;

interface EnvelopeHeader {
  /** Milliseconds since the Unix epoch, from the sender's clock. */
  readonly sentAt: number;
  /** Sender-chosen id; also the idempotency key of the send. */
  readonly clientMsgId: string;
}

export interface TextEnvelope extends EnvelopeHeader {
  readonly type: 'text';
  readonly body: { readonly text: string };
}

/** Every envelope this version can create. New types are added here. */
export type OutgoingEnvelope = TextEnvelope;

/**
 * A decoded envelope. Types (or versions) this client does not know are kept
 * as `unknown`, with the raw bytes, so the UI can show a fallback and a later
 * version can re-read them.
 */
export type DecodedEnvelope =
  | ({ kind: 'text'; v: number } & TextEnvelope)
  | {
      kind: 'unknown';
      v: number;
      type: string;
      body: unknown;
      sentAt: number | undefined;
      clientMsgId: string | undefined;
      raw: Uint8Array;
    }
  | { kind: 'malformed'; message: string };

/** `{v, type, body, sentAt, clientMsgId}` as UTF-8 JSON; length is hidden by MLS padding. */
export function encodeEnvelope(envelope: OutgoingEnvelope): Uint8Array {
  if (!Number.isSafeInteger(envelope.sentAt) || envelope.sentAt < 0)
    throw new Error('sentAt must be a non-negative integer (ms).');
  if (envelope.clientMsgId.length === 0 || envelope.clientMsgId.length > 64)
    throw new Error('clientMsgId must be 1 to 64 characters.');
  const bytes = utf8(
    JSON.stringify({
      v: envelopeVersion,
      type: envelope.type,
      body: envelope.body,
      sentAt: envelope.sentAt,
      clientMsgId: envelope.clientMsgId,
    }),
  );
  if (bytes.length > maxEnvelopeBytes)
    throw new Error(`An envelope is at most ${maxEnvelopeBytes} bytes.`);
  return bytes;
}

export function textEnvelope(text: string, clientMsgId: string, sentAt: number): TextEnvelope {
  return { type: 'text', body: { text }, sentAt, clientMsgId };
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  const malformed = (message: string): DecodedEnvelope => ({ kind: 'malformed', message });
  if (bytes.length > maxEnvelopeBytes) return malformed('The envelope is too large.');
  const text = fromUtf8(bytes);
  if (text === undefined) return malformed('The envelope is not UTF-8.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return malformed('The envelope is not JSON.');
  }
  if (!isRecord(parsed)) return malformed('The envelope is not an object.');
  const { v, type, body, sentAt, clientMsgId } = parsed;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return malformed('The envelope has no valid version.');
  if (typeof type !== 'string' || type.length === 0) return malformed('The envelope has no type.');
  const header = {
    sentAt:
      typeof sentAt === 'number' && Number.isSafeInteger(sentAt) && sentAt >= 0
        ? sentAt
        : undefined,
    clientMsgId:
      typeof clientMsgId === 'string' && clientMsgId.length > 0 && clientMsgId.length <= 64
        ? clientMsgId
        : undefined,
  };
  if (v === envelopeVersion && type === 'text') {
    if (header.sentAt === undefined || header.clientMsgId === undefined)
      return malformed('A text envelope needs sentAt and clientMsgId.');
    if (!isRecord(body) || typeof body.text !== 'string')
      return malformed('A text envelope needs body.text.');
    return {
      kind: 'text',
      v,
      type,
      body: { text: body.text },
      sentAt: header.sentAt,
      clientMsgId: header.clientMsgId,
    };
  }
  return { kind: 'unknown', v, type, body, ...header, raw: bytes.slice() };
}
