import {
  changePasswordRequestSchema,
  deleteAccountRequestSchema,
  signedOutDevicesResponseSchema,
  loginRequestSchema,
  loginChallengeResponseSchema,
  logoutRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  sessionResponseSchema,
  listDevicesResponseSchema,
  userSchema,
} from './auth.ts';
import {
  conversationSchema,
  createConversationRequestSchema,
  historyQuerySchema,
  historyResponseSchema,
  commitRequestSchema,
  commitsQuerySchema,
  commitsResponseSchema,
  conversationParamsSchema,
  listConversationsResponseSchema,
  messageSchema,
  readMarkerRequestSchema,
  readMarkerResponseSchema,
  sendMessageRequestSchema,
} from './chat.ts';
import {
  activeDevicesQuerySchema,
  activeDevicesResponseSchema,
  deletedAccountsResponseSchema,
  eventsQuerySchema,
  inboxEntrySchema,
  inboxOwnerParamsSchema,
  inboxPageSchema,
  inboxQuerySchema,
  internalInboxQuerySchema,
  revokedDevicesResponseSchema,
} from './events.ts';
import type { ErrorCode } from './errors.ts';
import { wellKnownSchema } from './policy.ts';
import {
  claimKeyPackagesRequestSchema,
  claimKeyPackagesResponseSchema,
  keyPackageCountSchema,
  setCertificateRequestSchema,
  setIdentityKeyRequestSchema,
  resetIdentityRequestSchema,
  uploadKeyPackagesRequestSchema,
  userKeysSchema,
} from './keys.ts';
import {
  appendBackupRequestSchema,
  backupEntriesQuerySchema,
  backupEntriesResponseSchema,
  linkMessageRequestSchema,
  linkMessagesQuerySchema,
  linkMessagesResponseSchema,
  linkSessionIdParamsSchema,
  linkSessionSchema,
  linkSessionListSchema,
  secretStorageRequestSchema,
  secretStorageSchema,
} from './recovery.ts';
import { z } from 'zod';
import {
  deviceIdParamsSchema,
  searchUsersQuerySchema,
  searchUsersResponseSchema,
  userIdParamsSchema,
} from './users.ts';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  service: 'users' | 'chat' | 'delivery';
  auth: 'none' | 'bearer' | 'bearer-or-query' | 'internal';
  /**
   * What the calling device must be, beyond signed in (bearer routes): `certified` — it holds a
   * certificate from the account's current identity key (a session made with the password alone is
   * not), else 403 `DEVICE_NOT_CERTIFIED` before the request is read.
   */
  device?: 'certified';
  summary: string;
  /** Path parameters (`:id` in `path`). */
  params?: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** The success body's media type when it is not JSON: the event stream's events (`response` is each event's data). */
  contentType?: 'text/event-stream';
  /** HTTP status of success. */
  status: number;
  errors: readonly ErrorCode[];
}

const authErrors: ErrorCode[] = ['UNAUTHENTICATED', 'DEVICE_REVOKED', 'IDENTITY_RESET'];
const bodyErrors: ErrorCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
];

/** Every public endpoint, each typed as written (the SDK derives each route's response type from it). */
export const routeTable = [
  {
    method: 'POST',
    path: '/auth/register',
    service: 'users',
    auth: 'none',
    summary: 'Create an account (username and password only) and sign in its first device.',
    body: registerRequestSchema,
    response: sessionResponseSchema,
    status: 201,
    errors: [
      ...bodyErrors,
      'USERNAME_TAKEN',
      'WEAK_PASSWORD',
      'REGISTRATION_CLOSED',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'POST',
    path: '/auth/challenge',
    service: 'users',
    auth: 'none',
    summary:
      'A single-use challenge (2 minutes) that a device signs with its key to sign in as itself.',
    response: loginChallengeResponseSchema,
    status: 200,
    errors: ['RATE_LIMITED'],
  },
  {
    method: 'POST',
    path: '/auth/login',
    service: 'users',
    auth: 'none',
    summary:
      "Sign in with the password. Without `device.id` the session is a new, uncertified device (it can link itself, restore from the recovery key, or reset the identity); signing in as an existing device needs `device.proof`: its key's signature over a challenge from `/auth/challenge`. A new device only while the account has fewer than `MAX_DEVICES_PER_USER`.",
    body: loginRequestSchema,
    response: sessionResponseSchema,
    status: 200,
    errors: [
      ...bodyErrors,
      'INVALID_CREDENTIALS',
      'DEVICE_PROOF_REQUIRED',
      'IDENTITY_RESET',
      'FORBIDDEN',
      'TOO_MANY_DEVICES',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'POST',
    path: '/auth/refresh',
    service: 'users',
    auth: 'none',
    summary:
      'Exchange a refresh token for new tokens; the old refresh token stops working. Presenting it again revokes the session.',
    body: refreshRequestSchema,
    response: sessionResponseSchema,
    status: 200,
    errors: [...bodyErrors, 'INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED', 'RATE_LIMITED'],
  },
  {
    method: 'POST',
    path: '/auth/logout',
    service: 'users',
    auth: 'none',
    summary: 'End the session the refresh token belongs to (idempotent).',
    body: logoutRequestSchema,
    status: 204,
    errors: bodyErrors,
  },
  {
    method: 'PUT',
    path: '/auth/password',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      "Change the account password: needs the current one and a certified calling device. Every other device's sessions end at once (refresh tokens and access tokens refused, streams ended; the devices stay in the list and sign in again with the new password); the calling device stays signed in.",
    body: changePasswordRequestSchema,
    response: signedOutDevicesResponseSchema,
    status: 200,
    errors: [
      ...authErrors,
      ...bodyErrors,
      'WRONG_PASSWORD',
      'WEAK_PASSWORD',
      'DEVICE_NOT_CERTIFIED',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'POST',
    path: '/auth/sign-out-others',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      'End the sessions of every other device of the account (needs a certified calling device): their refresh and access tokens are refused at once and their streams end. The devices stay in the list with their keys and sign in again to come back.',
    response: signedOutDevicesResponseSchema,
    status: 200,
    errors: [...authErrors, 'DEVICE_NOT_CERTIFIED', 'RATE_LIMITED'],
  },
  {
    method: 'POST',
    path: '/auth/delete-account',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      "Delete the account: needs the password and a certified calling device. Every device is revoked (tokens refused, streams ended), the identity key, certificates, KeyPackages, secret storage, message backup and link sessions are erased, and the username stays reserved. Every conversation gets an `account-deleted` entry so the other members' clients remove its devices from the group; sending there answers PEER_DELETED.",
    body: deleteAccountRequestSchema,
    status: 204,
    errors: [
      ...authErrors,
      ...bodyErrors,
      'WRONG_PASSWORD',
      'DEVICE_NOT_CERTIFIED',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'GET',
    path: '/users',
    service: 'users',
    auth: 'bearer',
    summary:
      'Find users by username prefix, ordered by username; pass `next` as `after` for the next page.',
    query: searchUsersQuerySchema,
    response: searchUsersResponseSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'RATE_LIMITED'],
  },
  {
    method: 'GET',
    path: '/users/:id',
    params: userIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary: 'One user by id.',
    response: userSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'USER_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/devices',
    service: 'users',
    auth: 'bearer',
    summary: "The caller's devices (`current` marks the calling one).",
    status: 200,
    response: listDevicesResponseSchema,
    errors: authErrors,
  },
  {
    method: 'DELETE',
    path: '/devices/:id',
    params: deviceIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary:
      "Remove one of the caller's devices: its certificate and KeyPackages leave the directory, its sessions end, and every service refuses its tokens (DEVICE_REVOKED) and ends its event streams (`bye` with `device-removed`) at once. Clients then remove it from their MLS groups. Removing another device needs a certified calling device.",
    status: 204,
    errors: [...authErrors, 'VALIDATION_FAILED', 'DEVICE_NOT_FOUND', 'DEVICE_NOT_CERTIFIED'],
  },
  {
    method: 'POST',
    path: '/link/sessions',
    service: 'users',
    auth: 'bearer',
    summary:
      'Open a relay (10 minutes) through which a new device and a signed-in device of the same user exchange end-to-end encrypted link messages; the server only relays ciphertext.',
    response: linkSessionSchema,
    status: 201,
    errors: [...authErrors, 'RATE_LIMITED'],
  },
  {
    method: 'GET',
    path: '/link/sessions',
    service: 'users',
    auth: 'bearer',
    summary:
      "The caller's account's open link sessions, newest first: a signed-in device finds the one a typed link code points at.",
    response: linkSessionListSchema,
    status: 200,
    errors: authErrors,
  },
  {
    method: 'POST',
    path: '/link/sessions/:id/messages',
    params: linkSessionIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary: 'Post one opaque message to a link session of your account (at most 20 per session).',
    body: linkMessageRequestSchema,
    response: z.object({ seq: z.number().int() }),
    status: 201,
    errors: [
      ...authErrors,
      ...bodyErrors,
      'LINK_SESSION_NOT_FOUND',
      'LINK_SESSION_FULL',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'GET',
    path: '/link/sessions/:id/messages',
    params: linkSessionIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary: 'The messages of a link session after `after`.',
    query: linkMessagesQuerySchema,
    response: linkMessagesResponseSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'LINK_SESSION_NOT_FOUND'],
  },
  {
    method: 'PUT',
    path: '/backup/secret',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      "Needs a certified device. Store the account's secret storage: its identity and backup private keys, encrypted on the device under the recovery key (or passphrase). Replaces the previous one.",
    body: secretStorageRequestSchema,
    response: secretStorageSchema,
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'DEVICE_NOT_CERTIFIED'],
  },
  {
    method: 'GET',
    path: '/backup/secret',
    service: 'users',
    auth: 'bearer',
    summary: "The account's secret storage blob (opaque to the server).",
    response: secretStorageSchema,
    status: 200,
    errors: [...authErrors, 'BACKUP_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/backup/entries',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      'Needs a certified device. Append message-backup entries (each sealed to the backup public key and signed by the writing device; opaque to the server), up to `MAX_BACKUP_ENTRIES_PER_USER` per account.',
    body: appendBackupRequestSchema,
    response: z.object({ last: z.number().int() }),
    status: 201,
    errors: [...authErrors, ...bodyErrors, 'DEVICE_NOT_CERTIFIED', 'BACKUP_FULL'],
  },
  {
    method: 'GET',
    path: '/backup/entries',
    service: 'users',
    auth: 'bearer',
    device: 'certified',
    summary:
      'Needs a certified device. Backup entries after `after`, oldest first: at most `limit`, and fewer when they would pass `MAX_PAGE_BYTES` (never none); `next` continues the listing.',
    query: backupEntriesQuerySchema,
    response: backupEntriesResponseSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'DEVICE_NOT_CERTIFIED'],
  },
  {
    method: 'PUT',
    path: '/keys/identity',
    service: 'users',
    auth: 'bearer',
    summary:
      "Set the account's first identity public key (Ed25519). The same key again is a no-op; a different one is refused (IDENTITY_KEY_CONFLICT): an identity changes only by a reset.",
    body: setIdentityKeyRequestSchema,
    response: z.object({ changed: z.boolean() }),
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'IDENTITY_KEY_CONFLICT'],
  },
  {
    method: 'POST',
    path: '/keys/identity/reset',
    service: 'users',
    auth: 'bearer',
    summary:
      'The loud identity reset for a person who lost every device and the recovery key (needs the password again): replaces the identity key, signs out every other device (IDENTITY_RESET), deletes secret storage, message backup and KeyPackages, and shows the reset date in the key directory; peers must accept the new identity.',
    body: resetIdentityRequestSchema,
    response: z.object({ signedOut: z.number().int() }),
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'INVALID_CREDENTIALS', 'RATE_LIMITED'],
  },
  {
    method: 'PUT',
    path: '/devices/current/certificate',
    service: 'users',
    auth: 'bearer',
    summary:
      "Store the calling device's certificate: it must be signed by the account identity key, name this user and device, use an allowed cipher suite and not be expired.",
    body: setCertificateRequestSchema,
    status: 204,
    errors: [...authErrors, ...bodyErrors, 'IDENTITY_KEY_MISSING', 'INVALID_CERTIFICATE'],
  },
  {
    method: 'POST',
    path: '/devices/current/key-packages',
    service: 'users',
    auth: 'bearer',
    summary:
      'Upload one-time KeyPackages (and optionally replace the last-resort one) of the calling device; answers the new counts.',
    body: uploadKeyPackagesRequestSchema,
    response: keyPackageCountSchema,
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'CERTIFICATE_MISSING', 'TOO_MANY_KEY_PACKAGES'],
  },
  {
    method: 'GET',
    path: '/devices/current/key-packages/count',
    service: 'users',
    auth: 'bearer',
    summary:
      'How many one-time KeyPackages of the calling device remain, and whether it has a last-resort one (replenish when low).',
    response: keyPackageCountSchema,
    status: 200,
    errors: authErrors,
  },
  {
    method: 'GET',
    path: '/users/:id/keys',
    params: userIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary:
      "A user's identity key and the certificates of their active devices: the directory clients authenticate MLS credentials against.",
    response: userKeysSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'USER_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/users/:id/key-packages/claim',
    params: userIdParamsSchema,
    service: 'users',
    auth: 'bearer',
    summary:
      'Claim one KeyPackage for each certified device of a user, atomically: one-time KeyPackages are handed out once; a device with none left yields its last-resort one.',
    // A claim without a body leaves no device out.
    body: claimKeyPackagesRequestSchema.optional(),
    response: claimKeyPackagesResponseSchema,
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'USER_NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'GET',
    path: '/.well-known/rchat',
    service: 'users',
    auth: 'none',
    summary: 'The operator policy clients must follow.',
    response: wellKnownSchema,
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    service: 'users',
    auth: 'none',
    summary: 'Public keys (Ed25519 JWK) that verify access tokens; the newest signs.',
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    service: 'users',
    auth: 'none',
    summary:
      'This API as an OpenAPI 3.1 document (the same as docs/openapi.json), generated from the route table.',
    status: 200,
    errors: [],
  },
  {
    method: 'POST',
    path: '/conversations',
    service: 'chat',
    auth: 'bearer',
    summary:
      'Open the direct conversation with `peer` (created once per pair; 201 when new, 200 when it existed).',
    body: createConversationRequestSchema,
    response: conversationSchema,
    status: 201,
    errors: [...authErrors, ...bodyErrors, 'USER_NOT_FOUND', 'CANNOT_CONVERSE_WITH_SELF'],
  },
  {
    method: 'GET',
    path: '/conversations',
    service: 'chat',
    auth: 'bearer',
    summary: "The caller's conversations, most recent activity first, with unread counts.",
    response: listConversationsResponseSchema,
    status: 200,
    errors: authErrors,
  },
  {
    method: 'GET',
    path: '/conversations/:id',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary: 'One conversation of the caller.',
    response: conversationSchema,
    status: 200,
    errors: [...authErrors, 'CONVERSATION_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/conversations/:id/messages',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary:
      'Store and deliver one message (opaque ciphertext). Idempotent per (device, txnId): a retry returns the first result with 200.',
    body: sendMessageRequestSchema,
    response: messageSchema,
    status: 201,
    errors: [
      ...authErrors,
      ...bodyErrors,
      'CONVERSATION_NOT_FOUND',
      'PEER_DELETED',
      'TXN_ID_REUSED',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'GET',
    path: '/conversations/:id/messages',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary: 'History, newest first; pass `nextBefore` as `before` for the previous page.',
    query: historyQuerySchema,
    response: historyResponseSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'CONVERSATION_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/conversations/:id/read',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary:
      "Move the caller's read marker forward (never back, never past the newest message); other devices of the caller are told.",
    body: readMarkerRequestSchema,
    response: readMarkerResponseSchema,
    status: 200,
    errors: [...authErrors, ...bodyErrors, 'CONVERSATION_NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/conversations/:id/commits',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary:
      "Submit an MLS commit made in `epoch`. The sequencer accepts it only while the conversation is at that epoch (the first wins; others get EPOCH_CONFLICT with the current epoch in `details`). The commit reaches every member's devices; the Welcome only the devices it names. Commit and Welcome are each at most `MAX_COMMIT_BYTES` (413), and commits are rate-limited per account and per conversation.",
    body: commitRequestSchema,
    response: z.object({ epoch: z.number().int() }),
    status: 201,
    errors: [
      ...authErrors,
      ...bodyErrors,
      'CONVERSATION_NOT_FOUND',
      'EPOCH_CONFLICT',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'POST',
    path: '/conversations/:id/join-requests',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary:
      "Ask the members' devices to add the calling device to the conversation's MLS group (a device restored from a recovery key). Every member's inbox gets a `join-request` entry; a member device adds the device with a commit only if its certificate is signed by the user's identity key.",
    status: 204,
    errors: [...authErrors, 'VALIDATION_FAILED', 'CONVERSATION_NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'GET',
    path: '/conversations/:id/commits',
    params: conversationParamsSchema,
    service: 'chat',
    auth: 'bearer',
    summary:
      'Commits made in epoch `since` and later, in order: what a device applies to catch up. At most `limit`, and fewer when they would pass `MAX_PAGE_BYTES` (never none); continue from the last epoch + 1 while it is below `epoch`.',
    query: commitsQuerySchema,
    response: commitsResponseSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'CONVERSATION_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/inbox',
    service: 'chat',
    auth: 'bearer',
    summary:
      "The caller's inbox entries after `after`, oldest first (what the event stream replays on resume). At most `limit`, and fewer when their ciphertexts, commits and Welcomes would pass `MAX_PAGE_BYTES` (never none): continue while the last entry's `seq` is below `headSeq`.",
    query: inboxQuerySchema,
    response: inboxPageSchema,
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED'],
  },
  {
    method: 'GET',
    path: '/events',
    service: 'delivery',
    auth: 'bearer-or-query',
    summary:
      "Server-Sent Events of the caller's inbox. Each event's `id` is the inbox sequence and its `data` an inbox entry; reconnect with `Last-Event-ID` (or `?since=`) to get exactly what was missed. Also sends `ready` (live, with `headSeq`), `bye` (the server ends the stream: `token-expired`, `shutdown`) and `: hb` comments. An account may have `MAX_STREAMS_PER_USER` streams open per instance.",
    query: eventsQuerySchema,
    response: inboxEntrySchema,
    contentType: 'text/event-stream',
    status: 200,
    errors: [...authErrors, 'VALIDATION_FAILED', 'TOO_MANY_STREAMS'],
  },
] as const satisfies readonly RouteSpec[];

/** Every public endpoint: the source of docs/api.md and of the SDK's response checks. */
export const routes: readonly RouteSpec[] = routeTable;

/**
 * Service-to-service endpoints (`/internal/…`): guarded by the shared INTERNAL_TOKEN, never exposed by
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
