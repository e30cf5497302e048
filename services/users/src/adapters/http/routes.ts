import type { FastifyInstance } from 'fastify';
import {
  API_VERSION,
  loginRequestSchema,
  logoutRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  searchUsersQuerySchema,
  userIdParamsSchema,
  setIdentityKeyRequestSchema,
  resetIdentityRequestSchema,
  setCertificateRequestSchema,
  uploadKeyPackagesRequestSchema,
  claimKeyPackagesRequestSchema,
  linkMessageRequestSchema,
  linkMessagesQuerySchema,
  secretStorageRequestSchema,
  appendBackupRequestSchema,
  changePasswordRequestSchema,
  deleteAccountRequestSchema,
  backupEntriesQuerySchema,
  activeDevicesQuerySchema,
  openApiDocument,
  type WellKnown,
} from '@rchat/protocol';
import {
  authenticate,
  byCaller,
  httpStatusByCode,
  parseInput,
  rateLimited,
  requireInternal,
  type Bus,
  type TokenVerifier,
} from '@rchat/server-kit';
import type { UsersDeps } from '../../app/deps.ts';
import { register } from '../../app/register.ts';
import { login } from '../../app/login.ts';
import { refresh } from '../../app/refresh.ts';
import { logout } from '../../app/logout.ts';
import { getUser, searchUsers } from '../../app/find-users.ts';
import { listDevices } from '../../app/list-devices.ts';
import { setIdentityKey } from '../../app/identity-key.ts';
import { resetIdentity } from '../../app/reset-identity.ts';
import { issueLoginChallenge } from '../../app/issue-login-challenge.ts';
import { requireCertifiedDevice } from '../../app/require-certified-device.ts';
import { setDeviceCertificate } from '../../app/device-certificate.ts';
import { claimKeyPackages, countFor, uploadKeyPackages } from '../../app/key-packages.ts';
import { getUserKeys } from '../../app/user-keys.ts';
import { removeDevice } from '../../app/remove-device.ts';
import { recentRevocations } from '../../app/recent-revocations.ts';
import { listActiveDevices } from '../../app/list-active-devices.ts';
import { changePassword } from '../../app/change-password.ts';
import { signOutOtherDevices } from '../../app/sign-out-other-devices.ts';
import { deleteAccount } from '../../app/delete-account.ts';
import { recentAccountDeletions } from '../../app/recent-account-deletions.ts';
import {
  listLinkSessions,
  openLinkSession,
  postLinkMessage,
  readLinkMessages,
} from '../../app/link-sessions.ts';
import {
  appendBackup,
  getSecretStorage,
  putSecretStorage,
  readBackup,
} from '../../app/key-backup.ts';

export function registerUsersRoutes(
  app: FastifyInstance,
  deps: UsersDeps,
  verifier: TokenVerifier,
  bus: Bus,
): void {
  const { config } = deps;
  const authLimit = rateLimited(config.RATE_LIMIT_AUTH_PER_MINUTE);

  app.post('/auth/register', { config: authLimit }, async (request, reply) => {
    const input = parseInput(registerRequestSchema, request.body, 'body');
    return reply.code(201).send(await register(deps, input));
  });
  app.post('/auth/challenge', { config: authLimit }, async () => issueLoginChallenge(deps));
  app.post('/auth/login', { config: authLimit }, async (request) =>
    login(deps, parseInput(loginRequestSchema, request.body, 'body')),
  );
  app.post('/auth/refresh', { config: authLimit }, async (request) =>
    refresh(deps, parseInput(refreshRequestSchema, request.body, 'body').refreshToken),
  );
  app.post('/auth/logout', async (request, reply) => {
    await logout(deps, bus, parseInput(logoutRequestSchema, request.body, 'body').refreshToken);
    return reply.code(204).send();
  });
  // Each checks the password (argon2id) or ends sessions: limited like sign-in.
  app.put('/auth/password', { config: authLimit }, async (request) => {
    const caller = await authenticate(request, verifier);
    return changePassword(
      deps,
      bus,
      { userId: caller.sub, deviceId: caller.did },
      parseInput(changePasswordRequestSchema, request.body, 'body'),
    );
  });
  app.post('/auth/sign-out-others', { config: authLimit }, async (request) => {
    const caller = await authenticate(request, verifier);
    return signOutOtherDevices(deps, bus, { userId: caller.sub, deviceId: caller.did });
  });
  app.post('/auth/delete-account', { config: authLimit }, async (request, reply) => {
    const caller = await authenticate(request, verifier);
    await deleteAccount(
      deps,
      bus,
      { userId: caller.sub, deviceId: caller.did },
      parseInput(deleteAccountRequestSchema, request.body, 'body').password,
    );
    return reply.code(204).send();
  });

  app.get(
    '/users',
    { config: rateLimited(config.RATE_LIMIT_SEARCH_PER_MINUTE) },
    async (request) => {
      await authenticate(request, verifier);
      return searchUsers(deps, parseInput(searchUsersQuerySchema, request.query, 'query'));
    },
  );
  app.get('/users/:id', async (request) => {
    await authenticate(request, verifier);
    return getUser(deps, parseInput(userIdParamsSchema, request.params, 'params').id);
  });
  app.get('/devices', async (request) => {
    const caller = await authenticate(request, verifier);
    return { devices: await listDevices(deps, caller.sub, caller.did) };
  });

  app.delete('/devices/:id', async (request, reply) => {
    const caller = await authenticate(request, verifier);
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    // Signing oneself out is always allowed; removing another device needs a device the identity key certified.
    if (id !== caller.did)
      await requireCertifiedDevice(deps, { userId: caller.sub, deviceId: caller.did });
    await removeDevice(deps, bus, caller.sub, id);
    return reply.code(204).send();
  });
  app.get('/internal/revoked-devices', async (request) => {
    requireInternal(request, config.INTERNAL_TOKEN);
    return { revoked: await recentRevocations(deps) };
  });
  app.get('/internal/deleted-accounts', async (request) => {
    requireInternal(request, config.INTERNAL_TOKEN);
    return { deleted: await recentAccountDeletions(deps) };
  });
  app.get('/internal/active-devices', async (request) => {
    requireInternal(request, config.INTERNAL_TOKEN);
    return {
      devices: await listActiveDevices(
        deps,
        parseInput(activeDevicesQuerySchema, request.query, 'query').users,
      ),
    };
  });
  const linkLimit = rateLimited(config.RATE_LIMIT_AUTH_PER_MINUTE * 4, byCaller(verifier));
  app.post('/link/sessions', { config: linkLimit }, async (request, reply) => {
    const caller = await authenticate(request, verifier);
    return reply
      .code(201)
      .send(await openLinkSession(deps, { userId: caller.sub, deviceId: caller.did }));
  });
  app.get('/link/sessions', async (request) => {
    const caller = await authenticate(request, verifier);
    return listLinkSessions(deps, { userId: caller.sub });
  });
  app.post('/link/sessions/:id/messages', { config: linkLimit }, async (request, reply) => {
    const caller = await authenticate(request, verifier);
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    const body = parseInput(linkMessageRequestSchema, request.body, 'body');
    return reply
      .code(201)
      .send(
        await postLinkMessage(
          deps,
          { userId: caller.sub, deviceId: caller.did },
          id,
          body.ciphertext,
        ),
      );
  });
  app.get('/link/sessions/:id/messages', async (request) => {
    const caller = await authenticate(request, verifier);
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    return readLinkMessages(
      deps,
      { userId: caller.sub },
      id,
      parseInput(linkMessagesQuerySchema, request.query, 'query').after,
    );
  });
  app.put('/backup/secret', async (request) => {
    const caller = await authenticate(request, verifier);
    await requireCertifiedDevice(deps, { userId: caller.sub, deviceId: caller.did });
    return putSecretStorage(
      deps,
      caller.sub,
      parseInput(secretStorageRequestSchema, request.body, 'body').ciphertext,
    );
  });
  app.get('/backup/secret', async (request) => {
    const caller = await authenticate(request, verifier);
    return getSecretStorage(deps, caller.sub);
  });
  app.post('/backup/entries', { bodyLimit: 2 * 1024 * 1024 - 4096 }, async (request, reply) => {
    const caller = await authenticate(request, verifier);
    await requireCertifiedDevice(deps, { userId: caller.sub, deviceId: caller.did });
    return reply
      .code(201)
      .send(
        await appendBackup(
          deps,
          { userId: caller.sub, deviceId: caller.did },
          parseInput(appendBackupRequestSchema, request.body, 'body').entries,
        ),
      );
  });
  app.get('/backup/entries', async (request) => {
    const caller = await authenticate(request, verifier);
    await requireCertifiedDevice(deps, { userId: caller.sub, deviceId: caller.did });
    const q = parseInput(backupEntriesQuerySchema, request.query, 'query');
    return readBackup(deps, caller.sub, q.after, q.limit);
  });
  app.put('/keys/identity', async (request) => {
    const caller = await authenticate(request, verifier);
    return setIdentityKey(
      deps,
      caller.sub,
      parseInput(setIdentityKeyRequestSchema, request.body, 'body'),
    );
  });
  app.post('/keys/identity/reset', { config: authLimit }, async (request) => {
    const caller = await authenticate(request, verifier);
    return resetIdentity(
      deps,
      bus,
      { userId: caller.sub, deviceId: caller.did },
      parseInput(resetIdentityRequestSchema, request.body, 'body'),
    );
  });
  app.put('/devices/current/certificate', async (request, reply) => {
    const caller = await authenticate(request, verifier);
    await setDeviceCertificate(
      deps,
      { userId: caller.sub, deviceId: caller.did },
      parseInput(setCertificateRequestSchema, request.body, 'body').certificate,
    );
    return reply.code(204).send();
  });
  app.post('/devices/current/key-packages', { bodyLimit: 2 * 1024 * 1024 }, async (request) => {
    const caller = await authenticate(request, verifier);
    return uploadKeyPackages(
      deps,
      { userId: caller.sub, deviceId: caller.did },
      parseInput(uploadKeyPackagesRequestSchema, request.body, 'body'),
    );
  });
  app.get('/devices/current/key-packages/count', async (request) => {
    const caller = await authenticate(request, verifier);
    return countFor(deps.db, caller.did);
  });
  app.get('/users/:id/keys', async (request) => {
    await authenticate(request, verifier);
    return getUserKeys(deps, parseInput(userIdParamsSchema, request.params, 'params').id);
  });
  app.post(
    '/users/:id/key-packages/claim',
    { config: rateLimited(config.RATE_LIMIT_CLAIM_PER_MINUTE, byCaller(verifier)) },
    async (request) => {
      await authenticate(request, verifier);
      const { id } = parseInput(userIdParamsSchema, request.params, 'params');
      const body = parseInput(claimKeyPackagesRequestSchema, request.body ?? {}, 'body');
      return claimKeyPackages(deps, id, body.exceptDeviceIds ?? []);
    },
  );

  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=60').send(await deps.keys.jwks()),
  );
  app.get('/.well-known/rchat', async (_request, reply) => {
    const policy: WellKnown = {
      apiVersion: API_VERSION,
      registration: config.REGISTRATION,
      passwordMinLength: config.PASSWORD_MIN_LENGTH,
      maxCiphertextBytes: config.MAX_CIPHERTEXT_BYTES,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      cipherSuites: config.MLS_CIPHER_SUITES,
    };
    return reply.header('cache-control', 'public, max-age=300').send(policy);
  });
  // Built on first request (it converts every route's schemas), then the same bytes every time.
  let openApi: string | undefined;
  app.get('/openapi.json', async (_request, reply) => {
    openApi ??= JSON.stringify(openApiDocument(httpStatusByCode));
    return reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(openApi);
  });
}
