import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import { fromHex } from '../util/bytes.ts';
import { formatSafetyNumber, safetyNumber } from './safety-number.ts';

describe('safety numbers', () => {
  it("matches libsignal's NumericFingerprintGenerator test vector", () => {
    // libsignal NumericFingerprintGeneratorTest (Curve25519 keys with their 0x05 type byte).
    const alice = {
      stableId: '+14152222222',
      identityKey: fromHex('0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868')!,
    };
    const bob = {
      stableId: '+14153333333',
      identityKey: fromHex('05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b')!,
    };
    expect(safetyNumber(alice, bob)).toBe(
      '300354477692869396892869876765458257569162576843440918079131',
    );
  });

  it('is symmetric and changes when an identity key changes', () => {
    const alice = { stableId: 'alice-id', identityKey: generateIdentityKeyPair().publicKey };
    const bob = { stableId: 'bob-id', identityKey: generateIdentityKeyPair().publicKey };
    const n = safetyNumber(alice, bob);
    expect(n).toMatch(/^\d{60}$/);
    expect(safetyNumber(bob, alice)).toBe(n);
    expect(
      safetyNumber(alice, { ...bob, identityKey: generateIdentityKeyPair().publicKey }),
    ).not.toBe(n);
    expect(safetyNumber(alice, { ...bob, stableId: 'mallory-id' })).not.toBe(n);
    expect(formatSafetyNumber(n).split(' ')).toHaveLength(12);
  });
});
