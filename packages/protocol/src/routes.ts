import { chatRoutes } from './routes/chat.ts';
import { deliveryRoutes } from './routes/delivery.ts';
import { internalRouteTable } from './routes/internal.ts';
import type { RouteSpec } from './routes/spec.ts';
import { usersRoutes } from './routes/users.ts';

export type { RouteSpec } from './routes/spec.ts';
export { internalRouteTable } from './routes/internal.ts';

/**
 * Every public endpoint, each typed as written (the SDK derives each route's response type from
 * it),
 * one file per service under routes/.
 */
export const routeTable = [...usersRoutes, ...chatRoutes, ...deliveryRoutes] as const;

/** Every public endpoint: the source of docs/api.md and of the SDK's response checks. */
export const routes: readonly RouteSpec[] = routeTable;

/** Every endpoint a service serves, public and internal. */
export const allRoutes: readonly RouteSpec[] = [...routeTable, ...internalRouteTable];

/** The routes of one service, public and internal, each typed as written. */
export function routesOf<S extends RouteSpec['service']>(service: S): ServiceRoute<S>[] {
  return [...routeTable, ...internalRouteTable].filter(
    (r): r is ServiceRoute<S> => r.service === service,
  );
}

/** A route of the public or internal table, typed as written. */
export type AnyRoute = (typeof routeTable)[number] | (typeof internalRouteTable)[number];
/** The routes of one service, typed as written. */
export type ServiceRoute<S extends RouteSpec['service']> = Extract<AnyRoute, { service: S }>;
/** A route's key, as handler maps and the SDK name it: "METHOD /path/:param". */
export type RouteKeyOf<R> = R extends {
  method: infer M extends string;
  path: infer P extends string;
}
  ? `${M} ${P}`
  : never;
