import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** `Algorithm.Argon2id` (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2 as Algorithm;
import type { PasswordHasher } from '../domain/password-hasher.ts';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id (RFC 9106) on libuv's thread pool; the PHC string carries its own parameters. */
export function createArgon2Hasher(params: Argon2Params): PasswordHasher {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    outputLen: 32,
  };
  return {
    id: 'argon2id',
    hash: (password) => hash(password, options),
    verify: async (encoded, password) => {
      try {
        return await verify(encoded, password);
      } catch {
        return false;
      }
    },
  };
}
