import { z } from 'zod';
import {
  baseConfigShape,
  checkNatsCredentials,
  env,
  loadConfig,
  retentionConfigShape,
  sharedLimitsShape,
} from '@rchat/server-kit';
import { registrationPolicySchema } from '@rchat/protocol';

export const usersConfigSchema = z
  .object({
    ...baseConfigShape,
    PORT: env.port(8081).describe('Port of the users service when it runs on its own.'),
    REGISTRATION: registrationPolicySchema
      .default('open')
      .describe('Who may create accounts: open, invite (needs an invite code) or closed.'),
    REGISTRATION_INVITE_CODES: env
      .list('')
      .describe('Comma-separated invite codes accepted when REGISTRATION=invite.'),
    PASSWORD_MIN_LENGTH: env
      .int(10, 8, 128)
      .describe(
        'Shortest password accepted (common passwords and ones containing the username are refused too).',
      ),
    ARGON2_MEMORY_KIB: env
      .int(19_456, 8_192, 4_194_304)
      .describe('argon2id memory cost in KiB (default: OWASP minimum, 19 MiB).'),
    ARGON2_ITERATIONS: env.int(2, 1, 100).describe('argon2id passes.'),
    ARGON2_PARALLELISM: env.int(1, 1, 16).describe('argon2id lanes.'),
    ACCESS_TOKEN_TTL_SECONDS: env
      .int(600, 30, 86_400)
      .describe('Lifetime of access tokens (EdDSA JWTs).'),
    REFRESH_TOKEN_TTL_DAYS: env
      .int(30, 1, 365)
      .describe('Lifetime of refresh tokens (rotated on every use).'),
    SIGNING_KEY_ROTATION_DAYS: env
      .int(30, 1, 3650)
      .describe('A new token-signing key is made when the newest is older than this.'),
    RATE_LIMIT_AUTH_PER_MINUTE: env
      .int(30, 1)
      .describe('Register, login and refresh requests per client address per minute.'),
    RATE_LIMIT_SEARCH_PER_MINUTE: env
      .int(300, 1)
      .describe('User searches per client address per minute.'),
    RATE_LIMIT_CLAIM_PER_MINUTE: env
      .int(120, 1)
      .describe(
        "KeyPackage claims per account per minute (each claim consumes another user's one-time KeyPackages).",
      ),
    MAX_DEVICES_PER_USER: env
      .int(20, 1, 10_000)
      .describe(
        'Devices one account may have (removed devices do not count); a login as a new device past it gets TOO_MANY_DEVICES.',
      ),
    MAX_KEY_PACKAGES_PER_DEVICE: env
      .int(500, 1, 100_000)
      .describe('One-time KeyPackages one device may keep on the server.'),
    MAX_KEY_PACKAGES_PER_USER: env
      .int(2_000, 1, 1_000_000)
      .describe('One-time KeyPackages all devices of one account together may keep on the server.'),
    MAX_BACKUP_ENTRIES_PER_USER: env
      .int(1_000_000, 1, Number.MAX_SAFE_INTEGER)
      .describe(
        'Message-backup entries one account may store (each at most 64 KiB); past it appends get BACKUP_FULL.',
      ),
    MAX_PAGE_BYTES: env
      .int(4_194_304, 65_536, 256 * 1024 * 1024)
      .describe(
        'Most bytes of entries (as base64) one backup listing page carries; a page ends before it would pass this (it always holds at least one entry).',
      ),
    MLS_CIPHER_SUITES: env
      .list('1')
      .pipe(
        z
          .array(
            z
              .string()
              .regex(/^\d{1,5}$/, 'must be comma-separated suite numbers')
              .transform(Number),
          )
          .min(1, 'needs at least one suite'),
      )
      .describe(
        'MLS cipher suites clients may use, comma-separated, the default first (published in /.well-known/rchat).',
      ),
    ...sharedLimitsShape,
    ...retentionConfigShape,
    REFRESH_TOKEN_RETENTION_DAYS: env
      .int(7, 0, 365)
      .describe(
        'Days a refresh token (used, revoked or never used) is kept after it expired, then the cleanup deletes it; until then a device presenting it is still told why its session ended. A used token is recognised as reused, and revokes its session, for as long as it has not expired.',
      ),
  })
  .superRefine(checkNatsCredentials);

export type UsersConfig = z.output<typeof usersConfigSchema>;

export function loadUsersConfig(
  envVars?: Record<string, string | undefined>,
): Readonly<UsersConfig> {
  return loadConfig(usersConfigSchema, envVars);
}
