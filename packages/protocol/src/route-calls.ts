import type { z } from 'zod';
import type { RouteKeyOf } from './routes.ts';

/**
 * How a caller reaches a route of the table, typed from its spec: the SDK (public routes) and the
 * services' internal clients (internal routes) both build their requests with these, so no path or
 * query name is written by hand anywhere.
 */

/** The route of the union `Routes` whose key is `K` ("METHOD /path/:param"). */
export type RouteNamed<Routes, K extends string> = Routes extends unknown
  ? RouteKeyOf<Routes> extends K
    ? Routes
    : never
  : never;

/** A route's path parameters, as its params schema names them. */
export type RouteParams<R> = R extends { params: infer S extends z.ZodType }
  ? z.input<S>
  : Record<string, never>;

/** A route's query: the names its query schema has (values go into the URL as text). */
export type RouteQuery<R> = R extends { query: infer S extends z.ZodType }
  ? { [Name in keyof z.input<S>]?: string | number | undefined }
  : Record<string, never>;

/** A route's request body, as its body schema says (an empty object where it has none). */
export type RouteBody<R> = R extends { body: infer S extends z.ZodType }
  ? z.input<S>
  : Record<string, never>;

/** What a route answers on success, as its response schema says (void when it answers no body). */
export type RouteResponse<R> = R extends { response: infer S extends z.ZodType }
  ? z.output<S>
  : void;

/** The method and path of a route key ("GET /users/:id" → GET, /users/:id). */
export function splitRouteKey(key: string): { method: string; path: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), path: key.slice(space + 1) };
}

/** A route's path with its `:param`s filled in (percent-encoded). */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** A query string ("a=1&b=x", no "?") of the values that are set. */
export function queryString(query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) search.set(name, String(value));
  return search.toString();
}
