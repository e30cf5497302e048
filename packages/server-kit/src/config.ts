import { z } from 'zod';

/**
 * Parses the environment once against a zod object schema whose keys are the
 * variable names. Fails fast with one sentence per offending variable. The
 * result is frozen; nothing else in a service reads process.env.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reusable env field parsers. */
export const env = {
  port: (dflt: number) => z.coerce.number().int().min(0).max(65535).default(dflt),
  int: (dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(dflt),
  bool: (dflt: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(dflt ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  url: () => z.url({ message: 'must be a URL' }),
  optionalUrl: () => z.url({ message: 'must be a URL' }).optional(),
  list: (dflt: string) =>
    z
      .string()
      .default(dflt)
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/**
 * NATS credentials come as a user and password together, or as an nkey seed
 * file, never both; a URL with credentials in it is refused (URLs get logged).
 * Each service schema applies it with `.superRefine(checkNatsCredentials)`.
 */
export function checkNatsCredentials(
  config: {
    NATS_URL?: string | undefined;
    NATS_USER?: string | undefined;
    NATS_PASSWORD?: string | undefined;
    NATS_NKEY_SEED_FILE?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (Boolean(config.NATS_USER) !== Boolean(config.NATS_PASSWORD))
    issue(
      config.NATS_USER ? 'NATS_PASSWORD' : 'NATS_USER',
      'set both NATS_USER and NATS_PASSWORD, or neither',
    );
  if (config.NATS_PASSWORD && config.NATS_NKEY_SEED_FILE)
    issue('NATS_NKEY_SEED_FILE', 'set either NATS_PASSWORD or NATS_NKEY_SEED_FILE, not both');
  if (config.NATS_URL && /^\w+:\/\/[^/]*@/.test(config.NATS_URL))
    issue(
      'NATS_URL',
      'must not hold credentials: set NATS_USER and NATS_PASSWORD (or NATS_NKEY_SEED_FILE) instead',
    );
}

/** Settings every service shares. */
export const baseConfigShape = {
  HOST: z.string().default('0.0.0.0').describe('Address to listen on.'),
  LOG_LEVEL: env
    .logLevel()
    .describe('pino log level: fatal, error, warn, info, debug, trace or silent.'),
  DATABASE_URL: env
    .optionalUrl()
    .describe('postgres://… selects PostgreSQL; unset means embedded PGlite under DATA_DIR.'),
  DATA_DIR: z
    .string()
    .default('./data')
    .describe(
      'Folder of the embedded PGlite databases: `npm start` keeps one for all services in `shared/` (a folder made by an earlier version keeps one subfolder per service); a service run alone uses a subfolder named after it.',
    ),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// URL')
    .optional()
    .describe(
      'nats://… selects NATS; unset means the in-process bus (one process only). Put credentials in the NATS_USER/NATS_PASSWORD or NATS_NKEY_SEED_FILE variables, not in the URL.',
    ),
  NATS_USER: z
    .string()
    .min(1)
    .optional()
    .describe(
      'NATS user name (with NATS_PASSWORD): the bus refuses connections without credentials in the shipped deployment.',
    ),
  NATS_PASSWORD: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Password of NATS_USER. Never logged.'),
  NATS_NKEY_SEED_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File holding a NATS user nkey seed (`SU…`): sign in to NATS with that nkey instead of a password.',
    ),
  INTERNAL_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('Shared secret of service-to-service calls under /internal (scaled-out mode).'),
  METRICS_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'Bearer token a Prometheus scraper sends to read `/metrics`; unset means no `/metrics` at all.',
    ),
  SHUTDOWN_GRACE_MS: env
    .int(10_000)
    .describe('How long a stopping process may drain before it exits.'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .describe(
      'Which proxies may set X-Forwarded-For (the client address used by rate limits): `false`, `true`, or comma-separated addresses/CIDRs/`loopback`.',
    ),
  CORS_ORIGINS: env
    .list('')
    .describe('Comma-separated browser origins allowed to call the API from another origin.'),
  MAX_REFUSED_BODY_BYTES: env
    .int(16 * 1024 * 1024, 0)
    .describe(
      "A request body over its route's limit is still read (and dropped) up to this many bytes before the 413 answer, so a client that uploads before it reads gets the answer instead of a reset connection; a longer body is answered at once with `Connection: close` and its connection lingers 30 s, dropping what still arrives.",
    ),
  RESPONSE_VALIDATION: z
    .enum(['off', 'strict'])
    .default('off')
    .describe(
      "`strict` checks every answer against its route's response schema in the protocol and answers 500 (and logs the mismatch) when it does not match; the tests run with it. `off` in production.",
    ),
};

/** Limits more than one service reads (each service's schema spreads the ones it needs). */
export const sharedLimitsShape = {
  MAX_CIPHERTEXT_BYTES: env
    .int(65_536, 1_024, 16 * 1024 * 1024)
    .describe('Largest message ciphertext in bytes (chat enforces it; users publishes it).'),
};
