import { describe, expect, it } from 'vitest';
import { utf8 } from '../util/bytes.ts';
import { generateStorageKey, openAtRest, sealAtRest } from './seal.ts';

describe('sealing state at rest', () => {
  it('opens with the raw key and purpose it was sealed with', async () => {
    const key = generateStorageKey();
    const sealed = await sealAtRest(key, utf8('secret state'), 'group:01');
    expect(await openAtRest(key, sealed, 'group:01')).toEqual({
      kind: 'ok',
      plaintext: utf8('secret state'),
    });
    const again = await sealAtRest(key, utf8('secret state'), 'group:01');
    expect(again).not.toEqual(sealed);
  });

  it('works with a non-extractable WebCrypto key', async () => {
    const key = await globalThis.crypto.subtle.generateKey(
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    const sealed = await sealAtRest(key, utf8('x'), 'p');
    expect(await openAtRest(key, sealed, 'p')).toEqual({ kind: 'ok', plaintext: utf8('x') });
  });

  it('detects tampering, a wrong key and a wrong purpose', async () => {
    const key = generateStorageKey();
    const sealed = await sealAtRest(key, utf8('secret state'), 'group:01');
    for (let i = 0; i < sealed.length; i++) {
      const copy = sealed.slice();
      copy[i]! ^= 0x80;
      expect((await openAtRest(key, copy, 'group:01')).kind).toBe('tampered');
    }
    expect((await openAtRest(generateStorageKey(), sealed, 'group:01')).kind).toBe('tampered');
    expect((await openAtRest(key, sealed, 'group:02')).kind).toBe('tampered');
    expect((await openAtRest(key, sealed.subarray(0, 20), 'group:01')).kind).toBe('tampered');
  });

  it('refuses keys that are not AES-256', async () => {
    await expect(sealAtRest(new Uint8Array(16), utf8('x'), 'p')).rejects.toThrow(/AES-256/);
  });
});
