import { z } from 'zod';
import { env, loadConfig } from '@rchat/server-kit';

/**
 * Settings of the single-process server; each service also reads its own settings from the same
 * environment.
 */
export const serverConfigSchema = z
  .object({
    PORT: env.port(8080).describe('Port of the single-process server (`npm start`).'),
    HOST: z.string().default('0.0.0.0').describe('Address to listen on.'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
    TLS_CERT_FILE: z
      .string()
      .optional()
      .describe('PEM certificate: with TLS_KEY_FILE, serve HTTPS.'),
    TLS_KEY_FILE: z.string().optional().describe('PEM private key of TLS_CERT_FILE.'),
    SHUTDOWN_GRACE_MS: env
      .int(10_000)
      .describe('How long a stopping process may drain before it exits.'),
    WEB_DIST_DIR: z
      .string()
      .default('apps/web/dist')
      .describe(
        'Folder of the built web client served at `/` (relative to the working directory); without an index.html there, only the API is served.',
      ),
  })
  .refine((c) => Boolean(c.TLS_CERT_FILE) === Boolean(c.TLS_KEY_FILE), {
    message: 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither',
    path: ['TLS_CERT_FILE'],
  });

export type ServerConfig = z.output<typeof serverConfigSchema>;

export function loadServerConfig(
  envVars?: Record<string, string | undefined>,
): Readonly<ServerConfig> {
  return loadConfig(serverConfigSchema, envVars);
}
