import { z } from 'zod';
import { baseConfigShape, env, loadConfig } from '@rchat/server-kit';

export const deliveryConfigSchema = z.object({
  ...baseConfigShape,
  PORT: env.port(8083),
  /** Users service (JWKS) and chat service (inbox reads) in scaled-out mode. */
  USERS_URL: env.optionalUrl(),
  CHAT_URL: env.optionalUrl(),
  HEARTBEAT_MS: env.int(15_000, 1_000),
  /** Bytes a slow client may leave unread before it is disconnected (it resumes from the store). */
  MAX_BUFFERED_BYTES: env.int(1_048_576, 16_384),
  /** Reconnection delay suggested to clients, in ms. */
  RETRY_MS: env.int(1_000, 100),
});

export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;

export function loadDeliveryConfig(envVars?: Record<string, string | undefined>): Readonly<DeliveryConfig> {
  return loadConfig(deliveryConfigSchema, envVars);
}
