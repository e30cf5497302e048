import type { SignatureAlgorithm } from 'ts-mls';
import { assertNever } from '@rchat/protocol';

const smallestBucket = 256;
const largeStep = 64 * 1024;

/**
 * Length buckets that hide message size: at least 256 bytes, then powers of
 * two up to 64 KiB, then multiples of 64 KiB.
 */
export function paddedLength(length: number): number {
  if (length <= smallestBucket) return smallestBucket;
  if (length <= largeStep) return 2 ** Math.ceil(Math.log2(length));
  return Math.ceil(length / largeStep) * largeStep;
}

/** Upper bound of a signature's length, so the padded size does not depend on it. */
export function maxSignatureLength(alg: SignatureAlgorithm): number {
  switch (alg) {
    case 'Ed25519':
      return 64;
    case 'Ed448':
      return 114;
    case 'P256':
      return 72;
    case 'P384':
      return 104;
    case 'P521':
      return 139;
    case 'ML-DSA-87':
      return 4627;
    default:
      return assertNever(alg, 'signature algorithm');
  }
}

/**
 * The padUntilLength for an application message: the encoded content
 * (varint length, data, varint length, signature) always fits the bucket.
 */
export function applicationPadTarget(plaintextLength: number, alg: SignatureAlgorithm): number {
  return paddedLength(plaintextLength + maxSignatureLength(alg) + 16);
}
