import { z } from 'zod';
import * as auth from './auth.ts';
import * as chat from './chat.ts';
import * as common from './common.ts';
import * as errors from './errors.ts';
import * as events from './events.ts';
import * as keys from './keys.ts';
import * as policy from './policy.ts';
import * as recovery from './recovery.ts';
import * as users from './users.ts';
import { API_VERSION, idSchema } from './common.ts';
import { errorCatalog, type ErrorCode } from './errors.ts';
import { routes as allRoutes, type RouteSpec } from './routes.ts';

/** A JSON Schema (draft 2020-12) as zod writes it. */
type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document, typed only as far as this generator and its tests read it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: object };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, object> };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  /**
   * The calling device must hold a certificate from its account's identity key (else 403
   * DEVICE_NOT_CERTIFIED).
   */
  'x-requires-certified-device'?: true;
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, { description: string; content?: object; 'x-error-codes'?: string[] }>;
}

/**
 * The schemas' own dialect: every schema below is plain JSON Schema draft 2020-12, as OpenAPI 3.1
 * takes it.
 */
const dialect = 'https://json-schema.org/draft/2020-12/schema';

const serviceText: Record<RouteSpec['service'], string> = {
  users:
    'Accounts, tokens, devices, identity keys and KeyPackages, device linking, key backup, discovery.',
  chat: 'Conversations, messages, MLS commits, the inbox.',
  delivery: 'The event stream (Server-Sent Events).',
};

/**
 * Who may call a route, as OpenAPI security requirements: an access token in
 * the Authorization header, or for the event stream also `?access_token=`
 * (EventSource cannot set headers). An empty list: no authentication.
 */
const securityOf: Record<Exclude<RouteSpec['auth'], 'internal'>, Record<string, string[]>[]> = {
  none: [],
  bearer: [{ bearerAuth: [] }],
  'bearer-or-query': [{ bearerAuth: [] }, { accessTokenQuery: [] }],
};

/**
 * Every exported `fooBarSchema` of the protocol, named `FooBar`: the document's
 * components. Names are taken in alphabetical order (not every loader lists a
 * module's exports so), and an alias keeps the first name
 * (`logoutRequestSchema = refreshRequestSchema` is `LogoutRequest`).
 */
function namedSchemas(): z.core.$ZodRegistry<{ id: string }> {
  const registry = z.registry<{ id: string }>();
  for (const module of [auth, chat, common, errors, events, keys, policy, recovery, users])
    for (const [name, value] of Object.entries(module).sort(([a], [b]) => (a < b ? -1 : 1)))
      if (value instanceof z.ZodType && name.endsWith('Schema') && !registry.has(value))
        registry.add(value, { id: name.charAt(0).toUpperCase() + name.slice(1, -'Schema'.length) });
  return registry;
}

/**
 * A schema's name among the components: responses use each schema as the
 * server writes it (`output`), request bodies as the server reads it (`input`,
 * where a field with a default may be left out). A schema that reads the same
 * both ways has one component; one that differs has an `…Input` one as well.
 */
interface Components {
  schemas: Record<string, JsonSchema>;
  refOf(id: string, io: 'input' | 'output'): string;
  registry: z.core.$ZodRegistry<{ id: string }>;
}

const componentRef = (name: string) => `#/components/schemas/${name}`;

function buildComponents(): Components {
  const registry = namedSchemas();
  const convert = (io: 'input' | 'output', suffix: string) =>
    (
      z.toJSONSchema(registry, {
        io,
        target: 'draft-2020-12',
        unrepresentable: 'any',
        uri: (id) => componentRef(`${id}${suffix}`),
      }) as { schemas: Record<string, JsonSchema> }
    ).schemas;
  const output = convert('output', '');
  const input = convert('input', 'Input');
  const ids = Object.keys(output);
  // Input references point at `XInput`; where X reads the same both ways that is X itself.
  const inputRefs = (json: JsonSchema) =>
    [...JSON.stringify(json).matchAll(/"#\/components\/schemas\/(\w+)Input"/g)].map((m) => m[1]);
  const withoutSuffix = (json: JsonSchema) =>
    JSON.stringify(json).replace(/("#\/components\/schemas\/\w+)Input"/g, '$1"');
  const same = new Set(
    ids.filter(
      (id) => withoutSuffix(strip(input[id] ?? {})) === JSON.stringify(strip(output[id] ?? {})),
    ),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of same)
      if (inputRefs(input[id] ?? {}).some((ref) => ref !== undefined && !same.has(ref))) {
        same.delete(id);
        changed = true;
      }
  }
  const refOf = (id: string, io: 'input' | 'output') =>
    componentRef(io === 'input' && !same.has(id) ? `${id}Input` : id);
  const relink = (json: JsonSchema): JsonSchema =>
    JSON.parse(
      JSON.stringify(json).replace(/"#\/components\/schemas\/(\w+)Input"/g, (_m, id: string) =>
        JSON.stringify(refOf(id, 'input')),
      ),
    ) as JsonSchema;
  const schemas: Record<string, JsonSchema> = {};
  for (const id of ids) {
    schemas[id] = strip(output[id] ?? {});
    if (!same.has(id)) schemas[`${id}Input`] = relink(strip(input[id] ?? {}));
  }
  return { schemas, refOf, registry };
}

/** Without the keywords that name a standalone schema; inside the document they are noise. */
function strip(json: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _id, ...rest } = json;
  return rest;
}

/**
 * A route's schema: a reference when it is a named one, else written out,
 * with references to the named schemas it holds.
 */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const named = components.registry.get(schema);
  if (named) return { $ref: components.refOf(named.id, io) };
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    metadata: components.registry,
  }) as JsonSchema;
  const { $defs: defs, ...rest } = strip(json);
  for (const id of Object.keys((defs as object | undefined) ?? {}))
    if (!components.schemas[id])
      throw new Error(`A schema holds an unnamed definition (${id}); name it in the protocol.`);
  return JSON.parse(
    JSON.stringify(rest).replace(/"#\/\$defs\/(\w+)"/g, (_m, id: string) =>
      JSON.stringify(components.refOf(id, io)),
    ),
  ) as JsonSchema;
}

/** A schema written out whole (no references): query parameters, which stand alone. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return strip(
    z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema,
  );
}

/** `/users/:id/keys` → `/users/{id}/keys`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** `GET /users/:id/keys` → `getUsersIdKeys`: unique, since method and path are. */
function operationIdOf(route: RouteSpec): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return (
    route.method.toLowerCase() +
    words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('')
  );
}

function firstSentence(text: string): string {
  return text.split('. ')[0]?.replace(/\.$/, '') ?? text;
}

/** Every path parameter of the table is an id (a UUID); the services check it as `idSchema`. */
function pathParameters(path: string): object[] {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(idSchema, 'input'),
  }));
}

/**
 * One query parameter per property of the route's query schema. Values arrive as strings; the
 * schema shows what they must read as (a coerced number is an integer).
 */
function queryParameters(query: z.ZodType | undefined): object[] {
  if (!query) return [];
  const json = jsonSchema(query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function successResponse(
  route: RouteSpec,
  components: Components,
): OpenApiOperation['responses'][string] {
  const description = route.status === 201 ? 'Created.' : route.status === 204 ? 'Done.' : 'OK.';
  if (route.status === 204) return { description };
  const mediaType = route.contentType ?? 'application/json';
  const schema = route.response ? { schema: schemaOf(route.response, 'output', components) } : {};
  return {
    description:
      mediaType === 'text/event-stream'
        ? "Server-Sent Events; each event's `data` is the schema below."
        : description,
    content: { [mediaType]: schema },
  };
}

/**
 * The named schemas the paths use, directly or through other named schemas (the bus's and the
 * services' own stay out).
 */
function reachable(
  schemas: Record<string, JsonSchema>,
  paths: OpenApiDocument['paths'],
): Record<string, JsonSchema> {
  const refs = (json: unknown) =>
    [...JSON.stringify(json).matchAll(/"#\/components\/schemas\/(\w+)"/g)].flatMap((m) =>
      m[1] ? [m[1]] : [],
    );
  const used = new Set<string>(['ErrorBody']);
  const queue = [...refs(paths), 'ErrorBody'];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    used.add(name);
    for (const next of refs(schemas[name])) if (!used.has(next)) queue.push(next);
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

/**
 * The route's error codes grouped by HTTP status, each status one response with the shared error
 * body.
 */
function errorResponses(
  route: RouteSpec,
  statusOf: Readonly<Record<ErrorCode, number>>,
): OpenApiOperation['responses'] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of route.errors) {
    const status = statusOf[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${errorCatalog[c]}`).join('\n\n'),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      'x-error-codes': codes,
    };
  }
  return responses;
}

function operation(
  route: RouteSpec & { auth: Exclude<RouteSpec['auth'], 'internal'> },
  statusOf: Readonly<Record<ErrorCode, number>>,
  components: Components,
): OpenApiOperation {
  const parameters = [...pathParameters(route.path), ...queryParameters(route.query)];
  return {
    operationId: operationIdOf(route),
    summary: firstSentence(route.summary),
    description: route.summary,
    tags: [route.service],
    security: securityOf[route.auth],
    ...(route.device === 'certified' ? { 'x-requires-certified-device': true } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schemaOf(route.body, 'input', components) },
            },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: successResponse(route, components),
      ...errorResponses(route, statusOf),
    },
  };
}

/**
 * The OpenAPI 3.1 document of every public route of the table (docs/openapi.json,
 * served at GET /openapi.json). `statusOf` is the HTTP status of each error
 * code (server-kit's table; protocol does not depend on it).
 */
export function openApiDocument(
  statusOf: Readonly<Record<ErrorCode, number>>,
  routes: readonly RouteSpec[] = allRoutes,
): OpenApiDocument {
  const components = buildComponents();
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    if (route.auth === 'internal') continue; // service-to-service: never public
    const item = (paths[openApiPath(route.path)] ??= {});
    item[route.method.toLowerCase()] = operation(
      { ...route, auth: route.auth },
      statusOf,
      components,
    );
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'rchat',
      version: String(API_VERSION),
      description:
        'Self-hosted, end-to-end encrypted instant messaging. Every body is JSON and unknown fields are refused; every error answers the `ErrorBody` schema with a stable code (docs/errors.md). Generated from the route table in packages/protocol.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: dialect,
    servers: [{ url: '/', description: 'The origin serving this document.' }],
    tags: (['users', 'chat', 'delivery'] as const).map((name) => ({
      name,
      description: serviceText[name],
    })),
    paths,
    components: {
      schemas: reachable(components.schemas, paths),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token from /auth/login, /auth/register or /auth/refresh (an EdDSA-signed JWT; /.well-known/jwks.json has the keys).',
        },
        accessTokenQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'access_token',
          description:
            'The access token as a query parameter, for EventSource (it cannot set headers).',
        },
      },
    },
  };
}
