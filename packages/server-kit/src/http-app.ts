import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { ErrorBody, ErrorCode } from '@rchat/protocol';
import { AppError } from './app-error.ts';
import { timingSafeEqualString } from './auth.ts';
import { answerClientError } from './client-error.ts';
import { httpStatusByCode } from './http-status.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { isStoreUnavailable } from './store-unavailable.ts';
import { settleOversizeBody } from './oversize-body.ts';
import { findUnstorableText } from './storable-text.ts';

export interface HttpAppOptions {
  logger: Logger;
  /** Largest request body in bytes (routes may lower or raise it). */
  bodyLimit?: number;
  /**
   * A body over its limit is still read (and dropped) up to this many bytes before the 413, so the
   * client can read it.
   */
  maxRefusedBodyBytes?: number;
  /** Readiness checks: each resolves when its dependency answers. */
  readiness?: Record<string, () => Promise<void>>;
  /** Allowed browser origins for CORS; empty disables CORS headers. */
  corsOrigins?: readonly string[];
  /**
   * Proxies trusted to set X-Forwarded-For: true, false, or comma-separated addresses, CIDRs or
   * `loopback`.
   */
  trustProxy?: string | boolean;
  /** Serve HTTPS with this certificate and key (PEM); every response then carries HSTS. */
  https?: { cert: Buffer; key: Buffer };
  /**
   * `/metrics` answers only `Authorization: Bearer <metricsToken>`; without a token there is no
   * `/metrics`.
   */
  metricsToken?: string | undefined;
}

/** Fastify's own refusals, as catalogue codes with a sentence a person can act on. */
const fastifyErrors: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'The request body does not have the length its Content-Length header says.',
  },
  FST_ERR_BAD_URL: { code: 'VALIDATION_FAILED', message: 'The URL path does not decode as UTF-8.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'VALIDATION_FAILED', message: 'A path parameter is too long.' },
};

/**
 * The HTTP app every service (and the single-process server) is built on:
 * request ids, JSON error bodies with stable codes, health, readiness and
 * Prometheus metrics. It does not listen; main.ts does.
 */
export function createHttpApp(
  options: HttpAppOptions,
): FastifyInstance & { metrics: Metrics; shuttingDown: { value: boolean } } {
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    trustProxy: parseTrustProxy(options.trustProxy ?? 'loopback'),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given)
        ? given
        : randomUUID();
    },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // The router's own refusals (a path that does not decode, an over-long parameter) answer like
    // every other error.
    frameworkErrors: (error, request, reply) => {
      void sendError(error, request, reply);
    },
    forceCloseConnections: false,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // The API speaks JSON only: other bodies get 415 instead of reaching validation as strings.
  app.removeContentTypeParser('text/plain');

  // Text the database cannot store unchanged is refused here, for every route, before any handler
  // sees it.
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const path = findUnstorableText(value);
      if (!path) continue;
      const field = [where, ...path].join('.');
      const message = 'Text must not contain NUL characters or unpaired UTF-16 surrogates.';
      throw new AppError('VALIDATION_FAILED', `Invalid ${field}: ${message}`, {
        details: [{ path: field, message }],
      });
    }
  });

  const metrics = createMetrics();
  const shuttingDown = { value: false };

  // Node closes idle keep-alive connections once, as the server closes; a request still under way
  // then would leave
  // its connection open for the keep-alive timeout (72 s) and hold the shutdown. Its answer closes
  // the connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  if (options.https) {
    // Browsers that reached us over HTTPS once keep to HTTPS for two years (as the shipped nginx
    // does).
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('strict-transport-security', 'max-age=63072000');
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const origins = new Set(options.corsOrigins ?? []);
  if (origins.size > 0) {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin || !(origins.has(origin) || origins.has('*'))) return;
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header(
        'access-control-allow-headers',
        'authorization, content-type, last-event-id, x-request-id',
      );
      reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      reply.header('access-control-max-age', '600');
      if (request.method === 'OPTIONS') await reply.code(204).send();
    });
  }

  const maxRefusedBodyBytes = options.maxRefusedBodyBytes ?? 16 * 1024 * 1024;
  app.setErrorHandler(async (error: FastifyError | AppError | Error, request, reply) => {
    if (toAppError(error).code === 'PAYLOAD_TOO_LARGE')
      await settleOversizeBody(request.raw, maxRefusedBodyBytes);
    return sendError(error, request, reply);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'NOT_FOUND',
        message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`,
        requestId: request.id,
      },
    };
    return reply.code(404).send(body);
  });

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    if (shuttingDown.value) return reply.code(503).send({ status: 'shutting-down' });
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of Object.entries(options.readiness ?? {})) {
      try {
        await check();
        checks[name] = 'ok';
      } catch {
        ok = false;
        checks[name] = 'failing';
      }
    }
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks });
  });
  // Metrics tell who is active when (route counts, open streams): only a scraper holding the token
  // reads them.
  const metricsToken = options.metricsToken;
  if (metricsToken) {
    app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
      const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqualString(given, metricsToken)) {
        throw new AppError(
          'UNAUTHENTICATED',
          'Metrics need "Authorization: Bearer <METRICS_TOKEN>".',
          { headers: { 'www-authenticate': 'Bearer realm="metrics"' } },
        );
      }
      return reply
        .header('content-type', metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    });
  }

  return Object.assign(app, { metrics, shuttingDown });
}

export type HttpApp = ReturnType<typeof createHttpApp>;

/** The JSON error body every refusal answers with, its status from the one code→status table. */
function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  const status = httpStatusByCode[appError.code];
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code }, 'request rejected');
  const body: ErrorBody = {
    error: { code: appError.code, message: appError.message, requestId: request.id },
  };
  if (appError.details !== undefined) body.error.details = appError.details;
  for (const [k, v] of Object.entries(appError.headers)) void reply.header(k, v);
  return reply.code(status).send(body);
}

function parseTrustProxy(value: string | boolean): string | boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fe = error as Partial<FastifyError> | undefined;
  const mapped = fe?.code ? fastifyErrors[fe.code] : undefined;
  if (mapped) return new AppError(mapped.code, mapped.message, { cause: error });
  if (fe?.statusCode === 429)
    return new AppError('RATE_LIMITED', 'Too many requests; retry later.', { cause: error });
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', fe.message ?? 'Bad request.', { cause: error });
  }
  // The database is restarting or unreachable: the request may be retried (a send with the same
  // txnId is idempotent).
  if (isStoreUnavailable(error))
    return new AppError('UNAVAILABLE', 'The database cannot be reached right now; retry shortly.', {
      cause: error,
      headers: { 'retry-after': '1' },
    });
  return new AppError('INTERNAL', 'Something went wrong on the server.', { cause: error });
}

export type { FastifyInstance, FastifyRequest };
