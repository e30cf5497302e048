import { describe, expect, it } from 'vitest';
import { utf8 } from '../util/bytes.ts';
import { decodeEnvelope, encodeEnvelope, textEnvelope } from './envelope.ts';

describe('the message envelope', () => {
  it('round-trips a text envelope', () => {
    const env = textEnvelope('héllo 👋', 'm-1', 1_700_000_000_000);
    expect(decodeEnvelope(encodeEnvelope(env))).toEqual({ kind: 'text', v: 1, ...env });
  });

  it('keeps unknown types and versions with their raw bytes', () => {
    const raw = utf8(
      JSON.stringify({
        v: 1,
        type: 'reaction',
        body: { emoji: '👍', target: 'm-1' },
        sentAt: 5,
        clientMsgId: 'm-2',
      }),
    );
    expect(decodeEnvelope(raw)).toEqual({
      kind: 'unknown',
      v: 1,
      type: 'reaction',
      body: { emoji: '👍', target: 'm-1' },
      sentAt: 5,
      clientMsgId: 'm-2',
      raw,
    });
    const future = utf8(JSON.stringify({ v: 2, type: 'text', body: { text: 'x', fmt: 'md' } }));
    expect(decodeEnvelope(future)).toMatchObject({
      kind: 'unknown',
      v: 2,
      type: 'text',
      sentAt: undefined,
    });
  });

  it('reports malformed input instead of throwing', () => {
    for (const bad of [
      new Uint8Array([0xff]),
      utf8('nope'),
      utf8('[1]'),
      utf8('{"type":"text"}'),
      utf8('{"v":1,"type":"text","body":{},"sentAt":1,"clientMsgId":"a"}'),
    ]) {
      expect(decodeEnvelope(bad).kind).toBe('malformed');
    }
  });

  it('refuses to encode an envelope without an id', () => {
    expect(() => encodeEnvelope(textEnvelope('x', '', 1))).toThrow();
  });
});
