import { z } from 'zod';
import { baseConfigShape, env, loadConfig } from '@rchat/server-kit';
import { registrationPolicySchema } from '@rchat/protocol';

export const usersConfigSchema = z.object({
  ...baseConfigShape,
  PORT: env.port(8081),
  REGISTRATION: registrationPolicySchema.default('open'),
  /** Comma-separated invite codes accepted when REGISTRATION=invite. */
  REGISTRATION_INVITE_CODES: env.list(''),
  PASSWORD_MIN_LENGTH: env.int(10, 8, 128),
  /** argon2id cost (defaults: OWASP's 19 MiB, 2 passes, 1 lane). */
  ARGON2_MEMORY_KIB: env.int(19_456, 8_192, 4_194_304),
  ARGON2_ITERATIONS: env.int(2, 1, 100),
  ARGON2_PARALLELISM: env.int(1, 1, 16),
  ACCESS_TOKEN_TTL_SECONDS: env.int(600, 30, 86_400),
  REFRESH_TOKEN_TTL_DAYS: env.int(30, 1, 365),
  /** A new token-signing key is made when the newest is older than this. */
  SIGNING_KEY_ROTATION_DAYS: env.int(30, 1, 3650),
  RATE_LIMIT_AUTH_PER_MINUTE: env.int(30, 1),
  RATE_LIMIT_SEARCH_PER_MINUTE: env.int(300, 1),
  /** Published to clients in /.well-known/rchat. */
  MLS_CIPHER_SUITES: env.list('1').pipe(z.array(z.string().regex(/^\d{1,5}$/, 'must be comma-separated suite numbers').transform(Number)).min(1, 'needs at least one suite')),
  MAX_CIPHERTEXT_BYTES: env.int(65_536, 1_024, 16 * 1024 * 1024),
});

export type UsersConfig = z.output<typeof usersConfigSchema>;

export function loadUsersConfig(envVars?: Record<string, string | undefined>): Readonly<UsersConfig> {
  return loadConfig(usersConfigSchema, envVars);
}
