import { API_VERSION, openApiDocument, type ServiceRoute, type WellKnown } from '@rchat/protocol';
import { httpStatusByCode, type Bus, type RouteHandlers } from '@rchat/server-kit';
import type { UsersDeps } from '../../app/deps.ts';
import { register } from '../../app/register.ts';
import { login } from '../../app/login.ts';
import { refresh } from '../../app/refresh.ts';
import { logout } from '../../app/logout.ts';
import { getUser } from '../../app/get-user.ts';
import { searchUsers } from '../../app/search-users.ts';
import { listDevices } from '../../app/list-devices.ts';
import { setIdentityKey } from '../../app/set-identity-key.ts';
import { resetIdentity } from '../../app/reset-identity.ts';
import { issueLoginChallenge } from '../../app/issue-login-challenge.ts';
import { setDeviceCertificate } from '../../app/set-device-certificate.ts';
import { claimKeyPackages } from '../../app/claim-key-packages.ts';
import { countKeyPackages } from '../../app/count-key-packages.ts';
import { uploadKeyPackages } from '../../app/upload-key-packages.ts';
import { getUserKeys } from '../../app/get-user-keys.ts';
import { removeDevice } from '../../app/remove-device.ts';
import { recentRevocations } from '../../app/recent-revocations.ts';
import { listActiveDevices } from '../../app/list-active-devices.ts';
import { changePassword } from '../../app/change-password.ts';
import { signOutOtherDevices } from '../../app/sign-out-other-devices.ts';
import { deleteAccount } from '../../app/delete-account.ts';
import { recentAccountDeletions } from '../../app/recent-account-deletions.ts';
import { listLinkSessions } from '../../app/list-link-sessions.ts';
import { openLinkSession } from '../../app/open-link-session.ts';
import { postLinkMessage } from '../../app/post-link-message.ts';
import { readLinkMessages } from '../../app/read-link-messages.ts';
import { appendBackup } from '../../app/append-backup.ts';
import { getSecretStorage } from '../../app/get-secret-storage.ts';
import { putSecretStorage } from '../../app/put-secret-storage.ts';
import { readBackup } from '../../app/read-backup.ts';

/**
 * The users service's routes (public and internal, as the protocol's route table has them), one use
 * case each.
 */
export function usersHandlers(deps: UsersDeps, bus: Bus): RouteHandlers<ServiceRoute<'users'>> {
  const { config } = deps;
  let openApi: string | undefined;
  // Sign-in and whatever checks the password (argon2id) or ends sessions: per client address.
  const authLimit = {
    rateLimit: { max: config.RATE_LIMIT_AUTH_PER_MINUTE, per: 'address' },
  } as const;
  const linkLimit = {
    rateLimit: { max: config.RATE_LIMIT_AUTH_PER_MINUTE * 4, per: 'caller' },
  } as const;
  return {
    'POST /auth/register': {
      ...authLimit,
      handle: ({ body }) => register(deps, body),
    },
    'POST /auth/challenge': { ...authLimit, handle: () => issueLoginChallenge(deps) },
    'POST /auth/login': { ...authLimit, handle: ({ body }) => login(deps, body) },
    'POST /auth/refresh': { ...authLimit, handle: ({ body }) => refresh(deps, body.refreshToken) },
    'POST /auth/logout': ({ body }) => logout(deps, bus, body.refreshToken),
    'PUT /auth/password': {
      ...authLimit,
      handle: ({ caller, body }) => changePassword(deps, bus, caller, body),
    },
    'POST /auth/sign-out-others': {
      ...authLimit,
      handle: ({ caller }) => signOutOtherDevices(deps, bus, caller),
    },
    'POST /auth/delete-account': {
      ...authLimit,
      handle: ({ caller, body }) => deleteAccount(deps, bus, caller, body.password),
    },

    'GET /users': {
      rateLimit: { max: config.RATE_LIMIT_SEARCH_PER_MINUTE, per: 'address' },
      handle: ({ query }) => searchUsers(deps, query),
    },
    'GET /users/:id': ({ params }) => getUser(deps, params.id),
    'GET /devices': async ({ caller }) => ({
      devices: await listDevices(deps, caller.userId, caller.deviceId),
    }),
    'DELETE /devices/:id': async ({ caller, params }) => {
      await removeDevice(deps, bus, caller, params.id);
    },

    'POST /link/sessions': { ...linkLimit, handle: ({ caller }) => openLinkSession(deps, caller) },
    'GET /link/sessions': ({ caller }) => listLinkSessions(deps, caller),
    'POST /link/sessions/:id/messages': {
      ...linkLimit,
      handle: ({ caller, params, body }) =>
        postLinkMessage(deps, caller, params.id, body.ciphertext),
    },
    'GET /link/sessions/:id/messages': ({ caller, params, query }) =>
      readLinkMessages(deps, caller, params.id, query.after),

    'PUT /backup/secret': ({ caller, body }) =>
      putSecretStorage(deps, caller.userId, body.ciphertext),
    'GET /backup/secret': ({ caller }) => getSecretStorage(deps, caller.userId),
    'POST /backup/entries': {
      bodyLimit: 2 * 1024 * 1024 - 4096,
      handle: ({ caller, body }) => appendBackup(deps, caller, body.entries),
    },
    'GET /backup/entries': ({ caller, query }) =>
      readBackup(deps, caller.userId, query.after, query.limit),

    'PUT /keys/identity': ({ caller, body }) => setIdentityKey(deps, caller.userId, body),
    'POST /keys/identity/reset': {
      ...authLimit,
      handle: ({ caller, body }) => resetIdentity(deps, bus, caller, body),
    },
    'PUT /devices/current/certificate': ({ caller, body }) =>
      setDeviceCertificate(deps, caller, body.certificate),
    'POST /devices/current/key-packages': {
      bodyLimit: 2 * 1024 * 1024,
      handle: ({ caller, body }) => uploadKeyPackages(deps, caller, body),
    },
    'GET /devices/current/key-packages/count': ({ caller }) =>
      countKeyPackages(deps.db, caller.deviceId),
    'GET /users/:id/keys': ({ params }) => getUserKeys(deps, params.id),
    'POST /users/:id/key-packages/claim': {
      rateLimit: { max: config.RATE_LIMIT_CLAIM_PER_MINUTE, per: 'caller' },
      handle: ({ params, body }) => claimKeyPackages(deps, params.id, body?.exceptDeviceIds ?? []),
    },

    'GET /.well-known/jwks.json': async ({ reply }) => {
      void reply.header('cache-control', 'public, max-age=60');
      return deps.keys.jwks();
    },
    // Built on the first request (it converts every route's schemas), then the same bytes every
    // time.
    'GET /openapi.json': ({ reply }) => {
      openApi ??= JSON.stringify(openApiDocument(httpStatusByCode));
      void reply.header('cache-control', 'public, max-age=300');
      void reply.type('application/json; charset=utf-8');
      return openApi;
    },
    'GET /.well-known/rchat': ({ reply }) => {
      void reply.header('cache-control', 'public, max-age=300');
      const policy: WellKnown = {
        apiVersion: API_VERSION,
        registration: config.REGISTRATION,
        passwordMinLength: config.PASSWORD_MIN_LENGTH,
        maxCiphertextBytes: config.MAX_CIPHERTEXT_BYTES,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        cipherSuites: config.MLS_CIPHER_SUITES,
      };
      return policy;
    },

    'GET /internal/revoked-devices': async () => ({ revoked: await recentRevocations(deps) }),
    'GET /internal/deleted-accounts': async () => ({ deleted: await recentAccountDeletions(deps) }),
    'GET /internal/active-devices': async ({ query }) => ({
      devices: await listActiveDevices(deps, query.users),
    }),
  };
}
