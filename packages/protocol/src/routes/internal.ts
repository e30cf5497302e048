import {
  activeDevicesQuerySchema,
  activeDevicesResponseSchema,
  deletedAccountsResponseSchema,
  inboxOwnerParamsSchema,
  inboxPageSchema,
  internalInboxQuerySchema,
  revokedDevicesResponseSchema,
} from '../events.ts';
import type { RouteSpec } from './spec.ts';

/**
 * Service-to-service endpoints (`/internal/…`): guarded by the shared INTERNAL_TOKEN, never exposed
 * by
 * nginx, and left out of the public API docs.
 */
export const internalRouteTable = [
  {
    method: 'GET',
    path: '/internal/revoked-devices',
    service: 'users',
    auth: 'internal',
    summary: 'Device removals and ended sessions whose access tokens may still be unexpired.',
    response: revokedDevicesResponseSchema,
    status: 200,
    errors: ['FORBIDDEN'],
  },
  {
    method: 'GET',
    path: '/internal/deleted-accounts',
    service: 'users',
    auth: 'internal',
    summary: 'Accounts deleted in the last 30 days (chat applies them at start).',
    response: deletedAccountsResponseSchema,
    status: 200,
    errors: ['FORBIDDEN'],
  },
  {
    method: 'GET',
    path: '/internal/active-devices',
    service: 'users',
    auth: 'internal',
    summary: "The devices of some users that are not removed (chat's inbox retention).",
    query: activeDevicesQuerySchema,
    response: activeDevicesResponseSchema,
    status: 200,
    errors: ['FORBIDDEN', 'VALIDATION_FAILED'],
  },
  {
    method: 'GET',
    path: '/internal/inbox/:userId',
    service: 'chat',
    auth: 'internal',
    summary: "A user's inbox entries after `after` (delivery's catch-up and gap repair).",
    params: inboxOwnerParamsSchema,
    query: internalInboxQuerySchema,
    response: inboxPageSchema,
    status: 200,
    errors: ['FORBIDDEN', 'VALIDATION_FAILED'],
  },
] as const satisfies readonly RouteSpec[];
