import {
  CodecError,
  CryptoError,
  CryptoVerificationError,
  MlsError,
  ValidationError,
} from 'ts-mls/mlsError.js';

export type MlsFailureKind = 'malformed' | 'crypto' | 'validation' | 'other';

/** Sorts a ts-mls exception; anything that is not an MlsError is rethrown (a bug, not input). */
export function classifyMlsError(e: unknown): { kind: MlsFailureKind; message: string } {
  if (!(e instanceof Error)) throw e;
  if (e instanceof CodecError) return { kind: 'malformed', message: e.message };
  if (e instanceof CryptoVerificationError || e instanceof CryptoError)
    return { kind: 'crypto', message: e.message };
  if (e instanceof ValidationError) return { kind: 'validation', message: e.message };
  if (e instanceof MlsError) return { kind: 'other', message: e.message };
  // WebCrypto and HPKE failures (bad tag, bad key) surface as plain errors.
  if (e.name === 'OperationError' || /decrypt|open|aead|tag/i.test(e.message))
    return { kind: 'crypto', message: e.message };
  throw e;
}
