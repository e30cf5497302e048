import { z } from 'zod';
import { baseConfigShape, env, loadConfig } from '@rchat/server-kit';

export const chatConfigSchema = z.object({
  ...baseConfigShape,
  PORT: env.port(8082),
  /** Base URL of the users service (JWKS and user lookups) in scaled-out mode. */
  USERS_URL: env.optionalUrl(),
  MAX_CIPHERTEXT_BYTES: env.int(65_536, 1_024, 16 * 1024 * 1024),
  RATE_LIMIT_SEND_PER_MINUTE: env.int(6_000, 1),
});

export type ChatConfig = z.output<typeof chatConfigSchema>;

export function loadChatConfig(envVars?: Record<string, string | undefined>): Readonly<ChatConfig> {
  const config = loadConfig(chatConfigSchema, envVars);
  return config;
}
