import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { b64, PASSWORD, registerUser, type TestUser } from '../support/users.ts';
import { changedTables, snapshot } from '../support/db-snapshot.ts';
import { forgedTokens } from '../support/forged-tokens.ts';

let platform: Platform;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let conversationId: string;
let rotatedRefreshToken: string;
const tokens: Record<string, string> = {};

interface Case {
  name: string;
  method: 'GET' | 'POST';
  path: () => string;
  body?: () => string;
  headers?: () => Record<string, string>;
  as?: () => TestUser | null;
  status: number;
  code: string;
  /** The error message, where the sentence itself is what the person acts on. */
  message?: RegExp;
  /** Tables this rejection is meant to change (the security response to a reused refresh token). */
  changes?: string[];
}

const json = (v: unknown) => JSON.stringify(v);

beforeAll(async () => {
  platform = await startPlatform();
  alice = await registerUser(platform.url, 'alice');
  bob = await registerUser(platform.url, 'bob');
  mallory = await registerUser(platform.url, 'mallory');
  conversationId = (await alice.api.createConversation(bob.id)).id;
  await alice.api.sendMessage(conversationId, { txnId: 'first', ciphertext: b64('hello') });
  rotatedRefreshToken = alice.api.session?.refreshToken ?? '';
  await alice.api.refresh();

  Object.assign(tokens, await forgedTokens(platform.url, platform.users.database, alice));
});
afterAll(async () => platform?.close());

const conv = () => `/conversations/${conversationId}`;
const send = (body: unknown) => () => json(body);
const bearer = (name: string) => () => ({ authorization: `Bearer ${tokens[name] ?? ''}` });

const cases: Case[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: () => '/auth/register',
    body: () => '{"username": "x",',
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'wrong type',
    method: 'POST',
    path: () => '/auth/register',
    body: send({ username: 42, password: PASSWORD, device: { name: 'd' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'unknown field',
    method: 'POST',
    path: () => '/auth/register',
    body: send({
      username: 'zed_new',
      password: PASSWORD,
      device: { name: 'd' },
      email: 'z@example.org',
    }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'username with forbidden characters',
    method: 'POST',
    path: () => '/auth/register',
    body: send({ username: 'zed new', password: PASSWORD, device: { name: 'd' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'username taken (other case)',
    method: 'POST',
    path: () => '/auth/register',
    body: () =>
      json({ username: bob.username.toUpperCase(), password: PASSWORD, device: { name: 'd' } }),
    status: 409,
    code: 'USERNAME_TAKEN',
  },
  {
    name: 'weak password: too short',
    method: 'POST',
    path: () => '/auth/register',
    body: send({ username: 'zed_short', password: 'abc12', device: { name: 'd' } }),
    status: 422,
    code: 'WEAK_PASSWORD',
  },
  {
    name: 'weak password: common',
    method: 'POST',
    path: () => '/auth/register',
    body: send({ username: 'zed_common', password: 'password123', device: { name: 'd' } }),
    status: 422,
    code: 'WEAK_PASSWORD',
  },
  {
    name: 'device name with a right-to-left override',
    method: 'POST',
    path: () => '/auth/register',
    body: send({
      username: 'zed_bidi',
      password: PASSWORD,
      device: { name: 'laptop\u202Egnp.exe' },
    }),
    status: 400,
    code: 'VALIDATION_FAILED',
    message:
      /^Invalid body\.device\.name: A device name must not contain control characters, bidirectional overrides or invisible \(zero-width\) characters\.$/,
  },
  {
    name: 'device name with a zero-width space',
    method: 'POST',
    path: () => '/auth/login',
    as: () => null,
    body: () =>
      json({ username: alice.username, password: PASSWORD, device: { name: 'ali\u200Bce phone' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /device name must not contain control characters/,
  },
  {
    name: 'device name with a control character',
    method: 'POST',
    path: () => '/auth/login',
    as: () => null,
    body: () =>
      json({
        username: alice.username,
        password: PASSWORD,
        device: { name: 'phone\u0007\u001b[2J' },
      }),
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /device name must not contain control characters/,
  },
  {
    name: 'device name with a bidi isolate',
    method: 'POST',
    path: () => '/auth/login',
    as: () => null,
    body: () =>
      json({
        username: alice.username,
        password: PASSWORD,
        device: { name: '\u2067desktop\u2069' },
      }),
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /device name must not contain control characters/,
  },
  {
    name: 'user search shorter than 3 characters',
    method: 'GET',
    path: () => '/users?query=%20Ab%20',
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /^Invalid query\.query: Type at least 3 characters of a username to search\.$/,
  },
  {
    name: 'user search with a NUL byte',
    method: 'GET',
    path: () => '/users?query=abc%00',
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /^Invalid query\.query: Text must not contain NUL characters/,
  },
  {
    name: 'device name with a NUL byte',
    method: 'POST',
    path: () => '/auth/register',
    body: send({ username: 'zed_nul', password: PASSWORD, device: { name: 'pho\u0000ne' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /^Invalid body\.device\.name: Text must not contain NUL/,
  },
  {
    name: 'password with an unpaired surrogate',
    method: 'POST',
    path: () => '/auth/login',
    as: () => null,
    body: () =>
      `{"username":"${alice.username}","password":"pass\\ud800word-long-enough","device":{"name":"d"}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    message: /^Invalid body\.password: .*unpaired UTF-16 surrogates/,
  },
  {
    name: 'JSON key with a NUL byte',
    method: 'POST',
    path: () => `${conv()}/read`,
    body: () => '{"seq":1,"\\u0000":2}',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'conversation id with a NUL byte',
    method: 'GET',
    path: () => '/conversations/%00',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'not JSON content type',
    method: 'POST',
    path: () => '/auth/login',
    body: () => 'username=a',
    headers: () => ({ 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'reuse of a rotated refresh token',
    method: 'POST',
    path: () => '/auth/refresh',
    body: () => json({ refreshToken: rotatedRefreshToken }),
    status: 401,
    code: 'REFRESH_TOKEN_REUSED',
    changes: ['refresh_tokens'],
  },
  {
    name: 'unknown refresh token',
    method: 'POST',
    path: () => '/auth/refresh',
    body: send({ refreshToken: 'nope' }),
    status: 401,
    code: 'INVALID_REFRESH_TOKEN',
  },
  {
    name: 'no token',
    method: 'GET',
    path: () => '/conversations',
    as: () => null,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'expired token',
    method: 'GET',
    path: () => '/conversations',
    as: () => null,
    headers: bearer('expired'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'forged token (foreign key, real kid)',
    method: 'GET',
    path: () => '/conversations',
    as: () => null,
    headers: bearer('forged'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'alg none token',
    method: 'GET',
    path: () => '/conversations',
    as: () => null,
    headers: bearer('none'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'HS256 token keyed with the public key',
    method: 'GET',
    path: () => '/conversations',
    as: () => null,
    headers: bearer('hs256'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'forged token on a send',
    method: 'POST',
    path: () => `${conv()}/messages`,
    as: () => null,
    headers: bearer('forged'),
    body: send({ txnId: 'f1', ciphertext: b64('x') }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'expired token on the event stream',
    method: 'GET',
    path: () => `/events?access_token=${tokens.expired ?? ''}`,
    as: () => null,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'oversize ciphertext',
    method: 'POST',
    path: () => `${conv()}/messages`,
    body: () => json({ txnId: 'big', ciphertext: Buffer.alloc(65_537).toString('base64') }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'oversize body',
    method: 'POST',
    path: () => '/auth/register',
    body: () => json({ username: 'x'.repeat(400_000), password: PASSWORD, device: { name: 'd' } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'ciphertext not base64',
    method: 'POST',
    path: () => `${conv()}/messages`,
    body: send({ txnId: 'b1', ciphertext: 'not*base64' }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'txnId reused for another message',
    method: 'POST',
    path: () => `${conv()}/messages`,
    body: send({ txnId: 'first', ciphertext: b64('something else') }),
    status: 409,
    code: 'TXN_ID_REUSED',
  },
  {
    name: 'unknown conversation',
    method: 'POST',
    path: () => '/conversations/00000000-0000-4000-8000-000000000000/messages',
    body: send({ txnId: 'u1', ciphertext: b64('x') }),
    status: 404,
    code: 'CONVERSATION_NOT_FOUND',
  },
  {
    name: 'conversation id not a uuid',
    method: 'GET',
    path: () => '/conversations/123/messages',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'non-member sends',
    method: 'POST',
    path: () => `${conv()}/messages`,
    as: () => mallory,
    body: send({ txnId: 'm1', ciphertext: b64('x') }),
    status: 404,
    code: 'CONVERSATION_NOT_FOUND',
  },
  {
    name: 'non-member reads history',
    method: 'GET',
    path: () => `${conv()}/messages`,
    as: () => mallory,
    status: 404,
    code: 'CONVERSATION_NOT_FOUND',
  },
  {
    name: 'non-member moves a read marker',
    method: 'POST',
    path: () => `${conv()}/read`,
    as: () => mallory,
    body: send({ seq: 1 }),
    status: 404,
    code: 'CONVERSATION_NOT_FOUND',
  },
  {
    name: 'non-member asks to join the encryption',
    method: 'POST',
    path: () => `${conv()}/join-requests`,
    as: () => mallory,
    body: send({}),
    status: 404,
    code: 'CONVERSATION_NOT_FOUND',
  },
  {
    name: 'backup of an account that has none',
    method: 'GET',
    path: () => '/backup/secret',
    as: () => mallory,
    status: 404,
    code: 'BACKUP_NOT_FOUND',
  },
  {
    name: 'link message to an unknown link session',
    method: 'POST',
    path: () => '/link/sessions/00000000-0000-4000-8000-000000000000/messages',
    body: send({ ciphertext: b64('x') }),
    status: 404,
    code: 'LINK_SESSION_NOT_FOUND',
  },
  {
    name: 'history page too large',
    method: 'GET',
    path: () => `${conv()}/messages?limit=101`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'negative read marker',
    method: 'POST',
    path: () => `${conv()}/read`,
    body: send({ seq: -1 }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'conversation with myself',
    method: 'POST',
    path: () => '/conversations',
    body: () => json({ peer: alice.id }),
    status: 422,
    code: 'CANNOT_CONVERSE_WITH_SELF',
  },
  {
    name: 'conversation with an unknown user',
    method: 'POST',
    path: () => '/conversations',
    body: send({ peer: '00000000-0000-4000-8000-000000000001' }),
    status: 404,
    code: 'USER_NOT_FOUND',
  },
  {
    name: 'garbage Last-Event-ID',
    method: 'GET',
    path: () => '/events',
    headers: () => ({ 'last-event-id': 'abc' }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'internal endpoint without the service token',
    method: 'GET',
    path: () => `/internal/inbox/${alice.id}`,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'unknown API route',
    method: 'GET',
    path: () => '/conversations/00000000-0000-4000-8000-000000000000/nope',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'unknown route, not a page',
    method: 'POST',
    path: () => '/nope',
    body: send({}),
    status: 404,
    code: 'NOT_FOUND',
  },
];

describe('bad input gets a 4xx with a stable code and changes nothing', () => {
  it.each(cases)('$name → $status $code', async (c) => {
    const user = c.as ? c.as() : alice;
    const headers: Record<string, string> = {};
    if (c.body) headers['content-type'] = 'application/json';
    if (user) headers.authorization = `Bearer ${user.api.session?.accessToken ?? ''}`;
    Object.assign(headers, c.headers?.() ?? {});
    const before = await snapshot(platform.users.database, platform.chat.database);
    const res = await fetch(`${platform.url}${c.path()}`, {
      method: c.method,
      headers,
      ...(c.body ? { body: c.body() } : {}),
    });
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    expect({ status: res.status, code: body.error?.code }).toEqual({
      status: c.status,
      code: c.code,
    });
    expect(body.error?.message?.length).toBeGreaterThan(10);
    if (c.message) expect(body.error?.message).toMatch(c.message);
    const after = await snapshot(platform.users.database, platform.chat.database);
    expect(changedTables(before, after)).toEqual(c.changes ?? []);
  });
});
