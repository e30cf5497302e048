import { z } from 'zod';
import { env, loadConfig } from '@rchat/server-kit';

/** Settings of the single-process server; each service also reads its own settings from the same environment. */
export const serverConfigSchema = z
  .object({
    PORT: env.port(8080),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: env.logLevel(),
    TLS_CERT_FILE: z.string().optional(),
    TLS_KEY_FILE: z.string().optional(),
    /** Folder of the built web client; served at / when it exists. */
    WEB_DIST_DIR: z.string().optional(),
    SHUTDOWN_GRACE_MS: env.int(10_000),
  })
  .refine((c) => Boolean(c.TLS_CERT_FILE) === Boolean(c.TLS_KEY_FILE), { message: 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither', path: ['TLS_CERT_FILE'] });

export type ServerConfig = z.output<typeof serverConfigSchema>;

export function loadServerConfig(envVars?: Record<string, string | undefined>): Readonly<ServerConfig> {
  return loadConfig(serverConfigSchema as unknown as z.ZodObject, envVars) as Readonly<ServerConfig>;
}
