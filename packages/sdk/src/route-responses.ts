import { routeTable } from '@rchat/protocol';
import type { z } from 'zod';

type Route = (typeof routeTable)[number];

/** A route of the protocol's route table, named as "METHOD /path/:param". */
export type RouteKey = Route extends infer R
  ? R extends { method: infer M extends string; path: infer P extends string }
    ? `${M} ${P}`
    : never
  : never;

type RouteOf<K extends RouteKey> = K extends `${infer M} ${infer P}`
  ? Extract<Route, { method: M; path: P }>
  : never;

/** A route's path parameters, as its params schema in the route table names them. */
export type ParamsOf<K extends RouteKey> =
  RouteOf<K> extends { params: infer S extends z.ZodType } ? z.input<S> : Record<string, never>;

/** A route's query: the names its query schema has (values go into the URL as text). */
export type QueryOf<K extends RouteKey> =
  RouteOf<K> extends { query: infer S extends z.ZodType }
    ? { [Name in keyof z.input<S>]?: string | number | undefined }
    : Record<string, never>;

/** A route's request body, as its body schema in the route table says (an empty object where it has none). */
export type BodyOf<K extends RouteKey> =
  RouteOf<K> extends { body: infer S extends z.ZodType } ? z.input<S> : Record<string, never>;

/** What a route answers on success, as its response schema in the route table says (void when it answers 204). */
export type ResponseOf<K extends RouteKey> =
  RouteOf<K> extends { response: infer S extends z.ZodType } ? z.output<S> : void;

const responseSchemas = new Map<string, z.ZodType | undefined>(
  routeTable.map((r) => [`${r.method} ${r.path}`, 'response' in r ? r.response : undefined]),
);

/** The schema a route's success answer must match, or undefined for a route that answers no body. */
export function responseSchemaOf(key: RouteKey): z.ZodType | undefined {
  return responseSchemas.get(key);
}

/** The path of a route with its `:param`s filled in (percent-encoded). */
export function pathOf(key: RouteKey, params: Record<string, string> = {}): string {
  const template = key.slice(key.indexOf(' ') + 1);
  return template.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
