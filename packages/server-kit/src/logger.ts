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

export function createLogger(options: {
  level: string;
  name: string;
  destination?: pino.DestinationStream;
}): Logger {
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

export type { Logger };

/**
 * Hides access tokens in logged URLs: the value of every query parameter whose
 * name is `access_token` once percent-decoded (EventSource cannot send headers,
 * and the query parser decodes `access%5Ftoken` to the same name), any value that
 * itself holds an `access_token=` (an encoded URL inside a query), and anything
 * shaped like a JWT wherever it appears.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? null : url.slice(at + 1);
  const redacted =
    query === null ? path : `${path}?${query.split('&').map(redactQueryPair).join('&')}`;
  return redacted.replace(jwtShape, '[redacted]');
}

const jwtShape = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

function redactQueryPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return pair;
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const hidden =
    fullyDecoded(name).trim().toLowerCase() === 'access_token' ||
    /access_token=/i.test(fullyDecoded(value));
  return hidden ? `${name}=[redacted]` : pair;
}

/**
 * Percent-decodes until nothing changes (a value may be encoded more than once); malformed escapes
 * stay as they are.
 */
function fullyDecoded(text: string): string {
  let current = text.replace(/\+/g, ' ');
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
