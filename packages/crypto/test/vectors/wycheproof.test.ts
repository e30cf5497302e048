// Wycheproof edge cases for every primitive this package calls directly, through our entry points.
import { describe, expect, it } from 'vitest';
import {
  aesGcmOpen,
  aesGcmSeal,
  hkdfSha256,
  hmacSha256,
  verifyEd25519,
  x25519SharedSecret,
} from '../../src/index.ts';
import { dataFolder, hex, readJson, toHexString } from './test-data.ts';

interface Suite<G> {
  algorithm: string;
  testGroups: (G & { tests: Case[] })[];
}
interface Case {
  tcId: number;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
  [field: string]: unknown;
}
const s = (c: Case, field: string) => c[field] as string;

const data = dataFolder('wycheproof');

describe.skipIf(!data.exists)(`Wycheproof vectors${data.skipNote}`, () => {
  it('X25519: valid cases agree; low-order keys (all-zero secret) are refused', () => {
    const suite = readJson<Suite<object>>(data.path, 'x25519_test.json');
    let run = 0;
    for (const group of suite.testGroups) {
      for (const c of group.tests) {
        const r = x25519SharedSecret(hex(s(c, 'private')), hex(s(c, 'public')));
        if (c.flags.includes('ZeroSharedSecret')) expect(r.kind, `tc ${c.tcId}`).toBe('invalid');
        else
          expect(r.kind === 'ok' && toHexString(r.sharedSecret), `tc ${c.tcId}`).toBe(
            s(c, 'shared'),
          );
        run++;
      }
    }
    expect(run).toBe(518);
  });

  it('Ed25519: strict verification accepts exactly the valid signatures', () => {
    const suite = readJson<Suite<{ publicKey: { pk: string } }>>(data.path, 'ed25519_test.json');
    let run = 0;
    for (const group of suite.testGroups) {
      for (const c of group.tests) {
        expect(
          verifyEd25519(hex(group.publicKey.pk), hex(s(c, 'msg')), hex(s(c, 'sig'))),
          `tc ${c.tcId} ${c.flags.join(',')}`,
        ).toBe(c.result === 'valid');
        run++;
      }
    }
    expect(run).toBe(151);
  });

  it('AES-GCM: every 12-byte-IV case with a 128- or 256-bit key and 128-bit tag', async () => {
    const suite = readJson<Suite<{ ivSize: number; keySize: number; tagSize: number }>>(
      data.path,
      'aes_gcm_test.json',
    );
    let run = 0;
    let skipped = 0;
    for (const group of suite.testGroups) {
      // 12-byte IVs only (our rule); AES-192 is absent from browsers' WebCrypto and unused here.
      if (group.ivSize !== 96 || group.tagSize !== 128 || group.keySize === 192) {
        skipped += group.tests.length;
        continue;
      }
      for (const c of group.tests) {
        const [key, iv, aad, msg] = [
          hex(s(c, 'key')),
          hex(s(c, 'iv')),
          hex(s(c, 'aad')),
          hex(s(c, 'msg')),
        ];
        const sealed = hex(s(c, 'ct') + s(c, 'tag'));
        const opened = await aesGcmOpen(key, iv, sealed, aad);
        if (c.result === 'valid') {
          expect(opened && toHexString(opened), `tc ${c.tcId}`).toBe(s(c, 'msg'));
          expect(toHexString(await aesGcmSeal(key, iv, msg, aad)), `tc ${c.tcId}`).toBe(
            toHexString(sealed),
          );
        } else {
          expect(opened, `tc ${c.tcId}`).toBeUndefined();
        }
        run++;
      }
    }
    expect(run).toBe(133);
    expect(run + skipped).toBe(316);
    await expect(
      aesGcmSeal(new Uint8Array(16), new Uint8Array(16), new Uint8Array()),
    ).rejects.toThrow(/12 bytes/);
  });

  it('HKDF-SHA256: outputs match; over-long outputs are refused', () => {
    const suite = readJson<Suite<object>>(data.path, 'hkdf_sha256_test.json');
    let run = 0;
    for (const group of suite.testGroups) {
      for (const c of group.tests) {
        const derive = () =>
          hkdfSha256(hex(s(c, 'ikm')), hex(s(c, 'salt')), hex(s(c, 'info')), c.size as number);
        if (c.result === 'valid') expect(toHexString(derive()), `tc ${c.tcId}`).toBe(s(c, 'okm'));
        else expect(derive, `tc ${c.tcId}`).toThrow();
        run++;
      }
    }
    expect(run).toBe(86);
  });

  it('HMAC-SHA256: valid tags match, modified tags do not', () => {
    const suite = readJson<Suite<{ tagSize: number }>>(data.path, 'hmac_sha256_test.json');
    let run = 0;
    for (const group of suite.testGroups) {
      for (const c of group.tests) {
        const tag = toHexString(
          hmacSha256(hex(s(c, 'key')), hex(s(c, 'msg'))).subarray(0, group.tagSize / 8),
        );
        expect(tag === s(c, 'tag'), `tc ${c.tcId}`).toBe(c.result === 'valid');
        run++;
      }
    }
    expect(run).toBe(174);
  });
});
