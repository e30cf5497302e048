import {
  fillPath,
  internalRouteTable,
  queryString,
  type RouteKeyOf,
  type RouteNamed,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '@rchat/protocol';
import type { z } from 'zod';

type InternalRoute = (typeof internalRouteTable)[number];
/** A service-to-service route, named as "GET /internal/…". */
export type InternalRouteKey = RouteKeyOf<InternalRoute>;

const specs = new Map<string, InternalRoute>(
  internalRouteTable.map((r) => [`${r.method} ${r.path}`, r]),
);

/** What a read of an internal route sends: its path parameters and query, typed from its spec. */
export interface InternalCall<K extends InternalRouteKey> {
  params?: RouteParams<RouteNamed<InternalRoute, K>>;
  query?: RouteQuery<RouteNamed<InternalRoute, K>>;
  timeoutMs?: number;
}

/**
 * A read of another service's internal route (the protocol's internal route table) with the shared
 * INTERNAL_TOKEN: the path and query from the spec, the answer parsed with the spec's response
 * schema.
 */
export async function readInternal<K extends InternalRouteKey>(
  baseUrl: string,
  route: K,
  internalToken: string,
  call: InternalCall<K> = {},
): Promise<RouteResponse<RouteNamed<InternalRoute, K>>> {
  const spec = specs.get(route);
  if (!spec) throw new Error(`${route} is not an internal route`);
  const search = queryString(call.query as Record<string, string | number | undefined> | undefined);
  const path = fillPath(spec.path, call.params as Record<string, string> | undefined);
  const url = new URL(`${path}${search ? `?${search}` : ''}`, baseUrl);
  const res = await fetch(url, {
    headers: { 'x-internal-token': internalToken },
    signal: AbortSignal.timeout(call.timeoutMs ?? 5_000),
  });
  if (!res.ok) throw new Error(`${route} read failed with HTTP ${res.status}`);
  return (spec.response as z.ZodType).parse(await res.json()) as RouteResponse<
    RouteNamed<InternalRoute, K>
  >;
}
