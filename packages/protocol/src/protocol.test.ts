import { describe, expect, it } from 'vitest';
import {
  clientErrorCodes,
  deviceNameSchema,
  registerRequestSchema,
  sendMessageRequestSchema,
  errorCodes,
  inboxEntrySchema,
} from './index.ts';

describe('protocol schemas', () => {
  it('folds usernames to lowercase and rejects characters outside the alphabet', () => {
    const ok = registerRequestSchema.parse({
      username: 'Alice_1',
      password: 'x',
      device: { name: 'laptop' },
    });
    expect(ok.username).toBe('alice_1');
    expect(
      registerRequestSchema.safeParse({ username: 'al ice', password: 'x', device: { name: 'l' } })
        .success,
    ).toBe(false);
    expect(
      registerRequestSchema.safeParse({ username: 'al', password: 'x', device: { name: 'l' } })
        .success,
    ).toBe(false);
  });

  it('accepts device names in any script, with emoji, and refuses controls, bidi controls and invisible characters', () => {
    for (const name of [
      'laptop',
      'Téléphone de Zoë',
      'بابا\u0020هاتف',
      '电脑',
      'phone 📱',
      'flag 🇫🇷',
      'heart ❤️',
    ])
      expect(deviceNameSchema.safeParse(name).success, name).toBe(true);
    const refused = {
      'C0 control': 'a\u0000b',
      'escape sequence': 'a\u001b[31mb',
      newline: 'a\nb',
      DEL: 'a\u007fb',
      'C1 control': 'a\u0085b',
      'right-to-left override': 'a\u202eb',
      'left-to-right embedding': 'a\u202ab',
      'pop directional formatting': 'a\u202cb',
      'right-to-left isolate': 'a\u2067b',
      'pop directional isolate': 'a\u2069b',
      'right-to-left mark': 'a\u200fb',
      'arabic letter mark': 'a\u061cb',
      'zero-width space': 'a\u200bb',
      'zero-width non-joiner': 'a\u200cb',
      'zero-width joiner': 'a\u200db',
      'word joiner': 'a\u2060b',
      'byte order mark': 'a\ufeffb',
      'soft hyphen': 'a\u00adb',
      'tag character': 'a\u{e0041}b',
      'line separator': 'a\u2028b',
      'paragraph separator': 'a\u2029b',
    };
    for (const [what, name] of Object.entries(refused)) {
      const result = deviceNameSchema.safeParse(name);
      expect(result.success, what).toBe(false);
      expect(result.error?.issues[0]?.message, what).toBe(
        'A device name must not contain control characters, bidirectional overrides or invisible (zero-width) characters.',
      );
    }
    expect(deviceNameSchema.safeParse('   ').error?.issues[0]?.message).toBe(
      'A device name must not be empty.',
    );
  });

  it('rejects unknown fields and non-base64 ciphertext', () => {
    expect(
      sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'AAAA', extra: 1 }).success,
    ).toBe(false);
    expect(
      sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'not base64!' }).success,
    ).toBe(false);
    expect(sendMessageRequestSchema.safeParse({ txnId: 't1', ciphertext: 'AAAA' }).success).toBe(
      true,
    );
  });

  it('accepts exactly standard padded base64', () => {
    for (const ok of ['AAAA', 'AAA=', 'AA==', 'ab+/AAA='])
      expect(sendMessageRequestSchema.safeParse({ txnId: 't', ciphertext: ok }).success, ok).toBe(
        true,
      );
    for (const bad of ['A', 'AA=', 'A===', '====', 'AA=A', 'AAAA====', 'AA-_', 'AAA ', ''])
      expect(sendMessageRequestSchema.safeParse({ txnId: 't', ciphertext: bad }).success, bad).toBe(
        false,
      );
  });

  it('has unique error codes and a typed inbox union', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    // A client's own codes never mean something a server could send.
    expect(clientErrorCodes.filter((c) => (errorCodes as string[]).includes(c))).toEqual([]);
    const r = inboxEntrySchema.safeParse({
      seq: 1,
      createdAt: 'x',
      type: 'read',
      conversationId: '00000000-0000-4000-8000-000000000000',
      readSeq: 3,
    });
    expect(r.success).toBe(true);
  });
});
