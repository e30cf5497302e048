import { z } from 'zod';
import { baseConfigShape, checkNatsCredentials, env, loadConfig } from '@rchat/server-kit';

export const deliveryConfigSchema = z
  .object({
    ...baseConfigShape,
    PORT: env.port(8083).describe('Port of the delivery service when it runs on its own.'),
    USERS_URL: env
      .optionalUrl()
      .describe(
        'Base URL of the users service (token keys); required when delivery runs on its own.',
      ),
    CHAT_URL: env
      .optionalUrl()
      .describe(
        'Base URL where delivery reads inboxes (/internal/inbox); required when delivery runs on its own.',
      ),
    HEARTBEAT_MS: env
      .int(15_000, 1_000)
      .describe('Interval of heartbeat comments on idle event streams.'),
    MAX_BUFFERED_BYTES: env
      .int(1_048_576, 16_384)
      .describe(
        'Bytes a slow client may leave unread before it is disconnected (it resumes from the store).',
      ),
    MAX_PENDING_BYTES: env
      .int(1_048_576, 16_384)
      .describe(
        'Bytes of live events one stream holds while it catches up from the store; past it they are dropped and read from the store again (nothing is lost).',
      ),
    MAX_STREAMS_PER_USER: env
      .int(20, 1)
      .describe(
        'Event streams one account may have open on one delivery instance; more are refused with TOO_MANY_STREAMS (429).',
      ),
    RETRY_MS: env.int(1_000, 100).describe('Reconnection delay suggested to clients (SSE retry:).'),
  })
  .superRefine(checkNatsCredentials);

export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;

export function loadDeliveryConfig(
  envVars?: Record<string, string | undefined>,
): Readonly<DeliveryConfig> {
  return loadConfig(deliveryConfigSchema, envVars);
}
