import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import type { z } from 'zod';
import type { RouteKeyOf, RouteSpec } from '@rchat/protocol';
import { AppError } from './app-error.ts';
import { authenticate, requireInternal, type Caller } from './auth.ts';
import type { CallerAuth } from './caller-auth.ts';
import type { Metrics } from './metrics.ts';
import { byCaller, rateLimited } from './rate-limit.ts';
import { parseInput } from './validate.ts';

type Parsed<R, Part extends string, Else> = R extends { [P in Part]: infer S extends z.ZodType }
  ? z.output<S>
  : Else;

/**
 * What a route's handler gets: its parsed input and, on routes that need one, the verified caller.
 */
export interface RouteInput<R> {
  params: Parsed<R, 'params', Record<string, never>>;
  query: Parsed<R, 'query', undefined>;
  body: Parsed<R, 'body', undefined>;
  caller: R extends { auth: 'bearer' | 'bearer-or-query' } ? Caller : undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * What a route's handler answers: its response body (nothing when the route answers 204; anything
 * when the table has no schema).
 */
export type RouteAnswer<R> = R extends { response: infer S extends z.ZodType }
  ? z.input<S>
  : R extends { status: 204 }
    ? void
    : unknown;

/**
 * An answer with a success status of its own (a route that answers 201 when it made something, 200
 * when it existed).
 */
export class Answer<T> {
  constructor(
    readonly status: 200 | 201,
    readonly body: T,
  ) {}
}

export function answer<T>(status: 200 | 201, body: T): Answer<T> {
  return new Answer(status, body);
}

type Handle<R> = (
  input: RouteInput<R>,
) => RouteAnswer<R> | Answer<RouteAnswer<R>> | Promise<RouteAnswer<R> | Answer<RouteAnswer<R>>>;

/** Server options of one route, given next to its handler. */
export interface RouteServerOptions {
  /**
   * Requests per minute: per account (keyed by the verified user id; see `byCaller`) or per client
   * address.
   */
  rateLimit?: { max: number; per: 'caller' | 'address' };
  /** Largest request body in bytes (else the app's). */
  bodyLimit?: number;
}

/**
 * How one route is served: a handler (returning its answer), the same with server options, or a
 * `stream` handler that takes the reply over (`reply.hijack()`) and writes it itself.
 */
export type RouteBinding<R> =
  | Handle<R>
  | (RouteServerOptions & { handle: Handle<R> })
  | (RouteServerOptions & { stream: (input: RouteInput<R>) => Promise<void> });

/**
 * One binding per route of `R`, keyed "METHOD /path": a missing or an extra one is a type error.
 */
export type RouteHandlers<R extends RouteSpec> = {
  [S in R as RouteKeyOf<S>]: RouteBinding<S>;
};

export interface BindRoutesOptions {
  /** The process's token verifier and revocations (bearer routes). */
  auth: CallerAuth;
  /** The shared secret of `internal` routes; without it they answer FORBIDDEN. */
  internalToken: string | undefined;
  /**
   * `strict`: every answer is checked against its route's response schema, and a mismatch answers
   * 500 (tests).
   */
  responseValidation: 'off' | 'strict';
  /**
   * The check of routes whose spec says `device: 'certified'`: throws when the caller's device
   * holds no
   * certificate from its account's identity key. Required when `specs` have such routes.
   */
  certifiedDevice?: (caller: Caller) => Promise<void>;
}

export function routeKey(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method} ${spec.path}`;
}

/**
 * Serves `specs` (routes of the protocol's route table) with one handler each: registers each
 * route,
 * enforces its `auth` (and its `device` requirement), parses its params, query and body with its
 * schemas (VALIDATION_FAILED with
 * per-field details), applies the server options given with its handler, and answers with its
 * success
 * status. Throws at startup when a route has no handler or a handler no route.
 */
export function bindRoutes<R extends RouteSpec>(
  app: FastifyInstance,
  specs: readonly R[],
  handlers: NoInfer<RouteHandlers<R>>,
  options: BindRoutesOptions,
): void {
  const bindings = handlers as unknown as Record<string, RouteBinding<RouteSpec> | undefined>;
  const keys = new Set(specs.map(routeKey));
  const missing = [...keys].filter((k) => !bindings[k]);
  const extra = Object.keys(bindings).filter((k) => !keys.has(k));
  if (missing.length > 0 || extra.length > 0)
    throw new Error(
      `Route handlers do not match the route table: ${[
        ...missing.map((k) => `no handler for ${k}`),
        ...extra.map((k) => `no route for handler ${k}`),
      ].join('; ')}.`,
    );
  const uncheckable = specs.filter((s) => s.device === 'certified' && !options.certifiedDevice);
  if (uncheckable.length > 0)
    throw new Error(
      `No certifiedDevice check for routes that need a certified device: ${uncheckable.map(routeKey).join(', ')}.`,
    );
  for (const spec of specs) {
    const binding = bindings[routeKey(spec)] as RouteBinding<RouteSpec>;
    app.route(routeOf(spec, binding, options));
  }
}

function routeOf(
  spec: RouteSpec,
  binding: RouteBinding<RouteSpec>,
  options: BindRoutesOptions,
): RouteOptions {
  const served = typeof binding === 'function' ? { handle: binding } : binding;
  const { rateLimit, bodyLimit } = served;
  const inputOf = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await callerFor(spec, request, options);
    return {
      params: spec.params ? parseInput(spec.params, request.params, 'params') : {},
      query: spec.query ? parseInput(spec.query, request.query, 'query') : undefined,
      body: spec.body ? parseInput(spec.body, request.body, 'body') : undefined,
      caller,
      request,
      reply,
    } as RouteInput<RouteSpec>;
  };
  return {
    method: spec.method,
    url: spec.path,
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
    ...(rateLimit
      ? {
          config: rateLimited(
            rateLimit.max,
            rateLimit.per === 'caller' ? byCaller(options.auth.verifier) : undefined,
          ),
        }
      : {}),
    handler: async (request, reply) => {
      const input = await inputOf(request, reply);
      if ('stream' in served) return served.stream(input);
      const result = await served.handle(input);
      const { status, body } =
        result instanceof Answer ? result : { status: spec.status, body: result as unknown };
      if (options.responseValidation === 'strict') checkAnswer(spec, status, body, request);
      if (body === undefined) return reply.code(status).send();
      return reply.code(status).send(body);
    },
  };
}

async function callerFor(
  spec: RouteSpec,
  request: FastifyRequest,
  options: BindRoutesOptions,
): Promise<Caller | undefined> {
  switch (spec.auth) {
    case 'none':
      return undefined;
    case 'internal':
      requireInternal(request, options.internalToken);
      return undefined;
    case 'bearer':
    case 'bearer-or-query': {
      const caller = await authenticate(request, options.auth.verifier, {
        allowQueryToken: spec.auth === 'bearer-or-query',
      });
      if (spec.device === 'certified') await options.certifiedDevice?.(caller);
      return caller;
    }
  }
}

/**
 * Strict mode: the answer must be what the route table says — its body (as the client reads it,
 * after
 * JSON) matches the response schema, and a route without one answers no body. A mismatch is logged
 * and
 * answered 500, so a test that calls the route fails.
 */
function checkAnswer(
  spec: RouteSpec,
  status: number,
  body: unknown,
  request: FastifyRequest,
): void {
  let problem: unknown;
  if (status === 204 || !spec.response) {
    if (status === 204 && body !== undefined) problem = 'a 204 answer carries a body';
    if (spec.status === 204 && status !== 204) problem = `answers ${status} instead of 204`;
  } else {
    const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
    const parsed = spec.response.safeParse(sent);
    if (!parsed.success) problem = parsed.error.issues;
  }
  if (problem === undefined) return;
  request.log.error(
    { route: routeKey(spec), problem },
    'the answer does not match the route table (RESPONSE_VALIDATION=strict)',
  );
  throw new AppError(
    'INTERNAL',
    `The answer of ${routeKey(spec)} does not match its response schema in the route table.`,
  );
}

/** What the host gives a service's plugin: the process's caller checks and metrics. */
export interface ServicePluginOptions {
  auth: CallerAuth;
  metrics: Metrics;
}

/**
 * A service as an encapsulated Fastify plugin: its routes and hooks in a scope of their own
 * (optionally under a prefix).
 */
export type ServicePlugin = FastifyPluginAsync<ServicePluginOptions>;
