import { pino, type Logger, type LoggerOptions } from 'pino';

/** Paths redacted from every log line: tokens, passwords, keys and message bodies. */
export const redactPaths = [
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-internal-token"]',
  'headers.authorization',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'ciphertext',
  '*.ciphertext',
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
];

export function createLogger(options: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? '') }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

export type { Logger };

/** Hides `access_token=` query values (EventSource cannot send headers) from logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&]*/gi, '$1[redacted]');
}
