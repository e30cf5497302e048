// Worked examples from RFC 7748 (X25519), RFC 8032 (Ed25519) and RFC 5869 (HKDF), through our entry
// points.
import { describe, expect, it } from 'vitest';
import {
  ed25519PublicKey,
  hkdfSha256,
  signEd25519,
  verifyEd25519,
  x25519PublicKey,
  x25519SharedSecret,
} from '../../src/index.ts';
import { hex, toHexString } from './test-data.ts';

describe('RFC 7748 X25519 examples', () => {
  it('§5.2 scalar multiplication vectors', () => {
    const cases = [
      [
        'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
        'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
        'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
      ],
      [
        '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
        'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
        '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
      ],
    ] as const;
    for (const [scalar, u, out] of cases) {
      const r = x25519SharedSecret(hex(scalar), hex(u));
      expect(r.kind === 'ok' && toHexString(r.sharedSecret)).toBe(out);
    }
  });

  it('§5.2 iterated: after 1 and 1,000 rounds', () => {
    let k = hex('0900000000000000000000000000000000000000000000000000000000000000');
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      const r = x25519SharedSecret(k, u);
      if (r.kind !== 'ok') throw new Error(r.reason);
      u = k;
      k = r.sharedSecret;
      if (i === 1)
        expect(toHexString(k)).toBe(
          '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079',
        );
    }
    expect(toHexString(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('§6.1 Diffie-Hellman', () => {
    const alicePriv = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPriv = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    expect(toHexString(x25519PublicKey(alicePriv))).toBe(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
    expect(toHexString(x25519PublicKey(bobPriv))).toBe(
      'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
    );
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    const a = x25519SharedSecret(alicePriv, x25519PublicKey(bobPriv));
    const b = x25519SharedSecret(bobPriv, x25519PublicKey(alicePriv));
    expect(a.kind === 'ok' && toHexString(a.sharedSecret)).toBe(shared);
    expect(b.kind === 'ok' && toHexString(b.sharedSecret)).toBe(shared);
  });
});

describe('RFC 8032 §7.1 Ed25519 examples', () => {
  const cases = [
    [
      '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      '',
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ],
    [
      '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      '72',
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    ],
    [
      'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      'af82',
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    ],
  ] as const;
  it.each(cases)('secret %s', (secret, pub, msg, sig) => {
    expect(toHexString(ed25519PublicKey(hex(secret)))).toBe(pub);
    expect(toHexString(signEd25519(hex(secret), hex(msg)))).toBe(sig);
    expect(verifyEd25519(hex(pub), hex(msg), hex(sig))).toBe(true);
    const bad = hex(sig);
    bad[0]! ^= 1;
    expect(verifyEd25519(hex(pub), hex(msg), bad)).toBe(false);
  });
});

describe('RFC 5869 HKDF-SHA256 examples', () => {
  it('A.1 basic test case', () => {
    const okm = hkdfSha256(
      hex('0b'.repeat(22)),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHexString(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('A.3 zero-length salt and info', () => {
    const okm = hkdfSha256(hex('0b'.repeat(22)), new Uint8Array(), new Uint8Array(), 42);
    expect(toHexString(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});
