import { describe, expect, it } from 'vitest';
import { registerRequestSchema, sendMessageRequestSchema, errorCodes, inboxEntrySchema } from './index.ts';

describe('protocol schemas', () => {
  it('folds usernames to lowercase and rejects characters outside the alphabet', () => {
    const ok = registerRequestSchema.parse({ username: 'Alice_1', password: 'x', device: { name: 'laptop' } });
    expect(ok.username).toBe('alice_1');
    expect(registerRequestSchema.safeParse({ username: 'al ice', password: 'x', device: { name: 'l' } }).success).toBe(false);
    expect(registerRequestSchema.safeParse({ username: 'al', password: 'x', device: { name: 'l' } }).success).toBe(false);
  });

  it('rejects unknown fields and non-base64 ciphertext', () => {
    expect(sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'AAAA', extra: 1 }).success).toBe(false);
    expect(sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'not base64!' }).success).toBe(false);
    expect(sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'AAAA' }).success).toBe(true);
  });

  it('accepts exactly standard padded base64', () => {
    for (const ok of ['AAAA', 'AAA=', 'AA==', 'ab+/AAA=']) expect(sendMessageRequestSchema.safeParse({ txnId: 't', ciphertext: ok }).success, ok).toBe(true);
    for (const bad of ['A', 'AA=', 'A===', '====', 'AA=A', 'AAAA====', 'AA-_', 'AAA ', '']) expect(sendMessageRequestSchema.safeParse({ txnId: 't', ciphertext: bad }).success, bad).toBe(false);
  });

  it('has unique error codes and a typed inbox union', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    const r = inboxEntrySchema.safeParse({ seq: 1, createdAt: 'x', type: 'read', conversationId: '00000000-0000-4000-8000-000000000000', readSeq: 3 });
    expect(r.success).toBe(true);
  });
});
