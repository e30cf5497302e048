import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.ts';

describe('base64', () => {
  it('matches RFC 4648 test vectors both ways', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64(encoded))).toBe(plain);
    }
  });

  it('rejects non-canonical and invalid text', () => {
    for (const bad of ['Zg', 'Zh==', 'Zm9v!', '====', 'Zm9vY==='])
      expect(fromBase64(bad)).toBeUndefined();
  });

  it('round-trips random bytes', () => {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(1000));
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });
});
