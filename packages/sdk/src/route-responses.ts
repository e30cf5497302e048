import {
  fillPath,
  routeTable,
  splitRouteKey,
  type RouteBody,
  type RouteKeyOf,
  type RouteNamed,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '@rchat/protocol';
import type { z } from 'zod';

type Route = (typeof routeTable)[number];

/** A route of the protocol's route table, named as "METHOD /path/:param". */
export type RouteKey = RouteKeyOf<Route>;

/** A route's path parameters, as its params schema in the route table names them. */
export type ParamsOf<K extends RouteKey> = RouteParams<RouteNamed<Route, K>>;

/** A route's query: the names its query schema has (values go into the URL as text). */
export type QueryOf<K extends RouteKey> = RouteQuery<RouteNamed<Route, K>>;

/**
 * A route's request body, as its body schema in the route table says (an empty object where it has
 * none).
 */
export type BodyOf<K extends RouteKey> = RouteBody<RouteNamed<Route, K>>;

/**
 * What a route answers on success, as its response schema in the route table says (void when it
 * answers 204).
 */
export type ResponseOf<K extends RouteKey> = RouteResponse<RouteNamed<Route, K>>;

const responseSchemas = new Map<string, z.ZodType | undefined>(
  routeTable.map((r) => [`${r.method} ${r.path}`, 'response' in r ? r.response : undefined]),
);

/**
 * The schema a route's success answer must match, or undefined for a route that answers no body.
 */
export function responseSchemaOf(key: RouteKey): z.ZodType | undefined {
  return responseSchemas.get(key);
}

/** The path of a route with its `:param`s filled in (percent-encoded). */
export function pathOf(key: RouteKey, params: Record<string, string> = {}): string {
  return fillPath(splitRouteKey(key).path, params);
}
