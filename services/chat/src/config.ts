import { z } from 'zod';
import { baseConfigShape, checkNatsCredentials, env, loadConfig } from '@rchat/server-kit';

export const chatConfigSchema = z.object({
  ...baseConfigShape,
  PORT: env.port(8082).describe('Port of the chat service when it runs on its own.'),
  USERS_URL: env.optionalUrl().describe('Base URL of the users service (token keys, user lookups); required when chat runs on its own.'),
  MAX_CIPHERTEXT_BYTES: env.int(65_536, 1_024, 16 * 1024 * 1024).describe('Largest message ciphertext in bytes (chat enforces it; users publishes it).'),
  RATE_LIMIT_SEND_PER_MINUTE: env.int(6_000, 1).describe('Messages one device may send per minute.'),
}).superRefine(checkNatsCredentials);

export type ChatConfig = z.output<typeof chatConfigSchema>;

export function loadChatConfig(envVars?: Record<string, string | undefined>): Readonly<ChatConfig> {
  const config = loadConfig(chatConfigSchema, envVars);
  return config;
}
