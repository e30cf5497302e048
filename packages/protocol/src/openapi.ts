import { z } from 'zod';
import { API_VERSION, idSchema } from './common.ts';
import { errorBodySchema, errorCatalog, type ErrorCode } from './errors.ts';
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
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, { description: string; content?: object; 'x-error-codes'?: string[] }>;
}

/** The schemas' own dialect: every schema below is plain JSON Schema draft 2020-12, as OpenAPI 3.1 takes it. */
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

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  delete json.$schema;
  return json;
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

/** One query parameter per property of the route's query schema. Values arrive as strings; the schema shows what they must read as (a coerced number is an integer). */
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

function successResponse(route: RouteSpec): OpenApiOperation['responses'][string] {
  const description = route.status === 201 ? 'Created.' : route.status === 204 ? 'Done.' : 'OK.';
  if (route.status === 204) return { description };
  const mediaType = route.contentType ?? 'application/json';
  const schema = route.response ? { schema: jsonSchema(route.response, 'output') } : {};
  return {
    description:
      mediaType === 'text/event-stream'
        ? "Server-Sent Events; each event's `data` is the schema below."
        : description,
    content: { [mediaType]: schema },
  };
}

/** The route's error codes grouped by HTTP status, each status one response with the shared error body. */
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
): OpenApiOperation {
  const parameters = [...pathParameters(route.path), ...queryParameters(route.query)];
  return {
    operationId: operationIdOf(route),
    summary: firstSentence(route.summary),
    description: route.summary,
    tags: [route.service],
    security: securityOf[route.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: successResponse(route),
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
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    if (route.auth === 'internal') continue; // service-to-service: never public
    const item = (paths[openApiPath(route.path)] ??= {});
    item[route.method.toLowerCase()] = operation({ ...route, auth: route.auth }, statusOf);
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
      schemas: { ErrorBody: jsonSchema(errorBodySchema, 'output') },
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
