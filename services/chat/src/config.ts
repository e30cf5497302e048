import { z } from 'zod';
import {
  baseConfigShape,
  checkNatsCredentials,
  env,
  loadConfig,
  retentionConfigShape,
  sharedLimitsShape,
} from '@rchat/server-kit';

export const chatConfigSchema = z
  .object({
    ...baseConfigShape,
    PORT: env.port(8082).describe('Port of the chat service when it runs on its own.'),
    USERS_URL: env
      .optionalUrl()
      .describe(
        'Base URL of the users service (token keys, user lookups); required when chat runs on its own.',
      ),
    ...sharedLimitsShape,
    RATE_LIMIT_SEND_PER_MINUTE: env
      .int(6_000, 1)
      .describe('Messages one account (all its devices together) may send per minute.'),
    RATE_LIMIT_COMMITS_PER_MINUTE: env
      .int(600, 1)
      .describe(
        'MLS commits one account (all its devices together) may submit per minute, refused ones included.',
      ),
    RATE_LIMIT_COMMITS_PER_CONVERSATION_PER_MINUTE: env
      .int(60, 1)
      .describe(
        'MLS commits all members together may submit to one conversation per minute (counted after the membership check, so outsiders cannot spend it).',
      ),
    RATE_LIMIT_JOIN_REQUESTS_PER_MINUTE: env
      .int(600, 1)
      .describe(
        'Join requests one account may post per minute (a restored device posts one per conversation; each makes every member device try a commit).',
      ),
    MAX_COMMIT_BYTES: env
      .int(524_288, 4_096, 16 * 1024 * 1024)
      .describe(
        'Largest MLS commit, and separately largest Welcome, one commit request may carry, in bytes (a Welcome grows with the devices it adds).',
      ),
    MAX_PAGE_BYTES: env
      .int(4_194_304, 65_536, 256 * 1024 * 1024)
      .describe(
        'Most bytes of ciphertext, commits and Welcomes (as base64) one inbox or commit listing page carries; a page ends before it would pass this (it always holds at least one entry).',
      ),
    ...retentionConfigShape,
    INBOX_RETENTION_DAYS: env
      .int(30, 1, 36_500)
      .describe(
        'Days an inbox entry is kept at least; after that the cleanup deletes it once every device of its user has resumed past it (a device that has not keeps it). Messages themselves stay: history is kept.',
      ),
  })
  .superRefine(checkNatsCredentials);

export type ChatConfig = z.output<typeof chatConfigSchema>;

export function loadChatConfig(envVars?: Record<string, string | undefined>): Readonly<ChatConfig> {
  const config = loadConfig(chatConfigSchema, envVars);
  return config;
}
