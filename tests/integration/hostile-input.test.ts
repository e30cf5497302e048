import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorCodes, routes, type RouteSpec } from '@rchat/protocol';
import { startPlatform, type Platform } from '../support/platform.ts';
import { b64, certify, registerUser, type TestUser } from '../support/users.ts';
import { forgedTokens, type ForgedTokens } from '../support/forged-tokens.ts';

/**
 * Every route of the protocol's route table gets hostile input — wrong
 * types, NUL bytes, unpaired surrogates, huge strings, deeply nested and
 * oversized JSON, bad ids and cursors, bodies that are not JSON, wrong content
 * types, bad tokens — with a valid session and without. No answer may be a
 * 5xx, and every refusal carries a JSON error body with a catalogue code.
 */

let platform: Platform;
let alice: TestUser;
let bob: TestUser;
let conversationId: string;
let tokens: ForgedTokens;

beforeAll(async () => {
  const generous = '100000';
  platform = await startPlatform({
    env: {
      RATE_LIMIT_SEND_PER_MINUTE: generous,
      RATE_LIMIT_COMMITS_PER_MINUTE: generous,
      RATE_LIMIT_COMMITS_PER_CONVERSATION_PER_MINUTE: generous,
      RATE_LIMIT_CLAIM_PER_MINUTE: generous,
      RATE_LIMIT_JOIN_REQUESTS_PER_MINUTE: generous,
    },
  });
  alice = await registerUser(platform.url, 'alice');
  bob = await registerUser(platform.url, 'bob');
  await certify(alice);
  conversationId = (await alice.api.createConversation(bob.id)).id;
  await alice.api.sendMessage(conversationId, { txnId: 'first', ciphertext: b64('hello') });
  tokens = await forgedTokens(platform.url, platform.users.database, alice);
});
afterAll(async () => platform?.close());

const nested = (depth: number, open: string, close: string) =>
  `${open.repeat(depth)}${close.repeat(depth)}`;
const NUL = '\u0000';
const LONE_SURROGATE = '\uD800';

/** Values a field of a JSON body gets instead of what its schema wants. */
const hostileValues: unknown[] = [
  null,
  true,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  NUL,
  `a${NUL}b`,
  LONE_SURROGATE,
  'x'.repeat(100_000),
  '../../etc/passwd',
  "' or 1=1 --",
  [],
  [NUL],
  {},
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__":{"admin":true}}'),
];

/** Whole bodies (sent as application/json unless they say otherwise). */
const hostileBodies: { name: string; body: string; contentType?: string }[] = [
  { name: 'not JSON', body: '{"a": 1,' },
  { name: 'empty', body: '' },
  { name: 'JSON null', body: 'null' },
  { name: 'JSON array', body: '[1,2,3]' },
  { name: 'JSON number', body: '42' },
  { name: 'JSON string with a NUL', body: JSON.stringify(NUL) },
  {
    name: 'escaped NUL and lone surrogate in keys and values',
    body: '{"\\u0000":"\\ud800","a":"\\u0000"}',
  },
  { name: '10,000 nested arrays', body: nested(10_000, '[', ']') },
  { name: '10,000 nested objects', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
  {
    name: 'a wide object just under the default limit',
    body: JSON.stringify(
      Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    ),
  },
  { name: 'a 3 MiB string', body: JSON.stringify({ a: 'x'.repeat(3 * 1024 * 1024) }) },
  {
    name: 'prototype pollution',
    body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}',
  },
  { name: 'form-encoded', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'plain text', body: 'hello', contentType: 'text/plain' },
  {
    name: 'multipart',
    body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    contentType: 'multipart/form-data; boundary=x',
  },
  { name: 'JSON labelled as XML', body: '{}', contentType: 'application/xml' },
  {
    name: 'JSON with a bogus charset',
    body: '{}',
    contentType: 'application/json; charset=ebcdic',
  },
];

/** Path parameters and query values that are not what a route expects. */
const hostileSegments = [
  '%00',
  'abc%00',
  '%ED%A0%80',
  '%F0%28%8C%28',
  'x'.repeat(5_000),
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '..%2F..%2Fetc',
  "'%20or%201=1--",
  '%25',
  '1e309',
];
const hostileQueryValues = [...hostileSegments, 'NaN', 'Infinity', '9007199254740993', '1.5', ''];

type Auth = 'session' | 'none' | 'garbage' | keyof ForgedTokens;

function authHeader(auth: Auth): Record<string, string> {
  if (auth === 'none') return {};
  if (auth === 'session')
    return { authorization: `Bearer ${alice.api.session?.accessToken ?? ''}` };
  if (auth === 'garbage') return { authorization: 'Bearer not.a.token' };
  return { authorization: `Bearer ${tokens[auth]}` };
}

/** A well-formed value for each path parameter, so one part at a time can be made hostile. */
function validPath(route: RouteSpec): string {
  return route.path.replace(/:id/g, () =>
    route.path.startsWith('/conversations')
      ? conversationId
      : route.path.startsWith('/users')
        ? bob.id
        : '00000000-0000-4000-8000-000000000000',
  );
}

function keysOf(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

interface Probe {
  path: string;
  body?: string;
  contentType?: string;
  auth: Auth;
}

function probesFor(route: RouteSpec): Probe[] {
  const probes: Probe[] = [];
  const base = validPath(route);
  const takesBody = route.method === 'POST' || route.method === 'PUT';
  for (const auth of ['session', 'none'] as const) {
    for (const segment of route.path.includes(':') ? hostileSegments : [])
      probes.push({ path: route.path.replace(/:id/g, segment), auth });
    for (const key of [...keysOf(route.query), 'unknown']) {
      for (const value of hostileQueryValues)
        probes.push({ path: `${base}?${key}=${value}`, auth });
      probes.push({ path: `${base}?${key}=1&${key}=2`, auth });
    }
    probes.push({ path: `${base}?${'a'.repeat(10_000)}=1`, auth });
    for (const { body, contentType } of hostileBodies)
      probes.push({ path: base, body, auth, ...(contentType ? { contentType } : {}) });
    for (const key of takesBody ? [...keysOf(route.body), 'unknown'] : []) {
      for (const value of hostileValues)
        probes.push({ path: base, body: JSON.stringify({ [key]: value }), auth });
    }
  }
  for (const auth of ['garbage', 'expired', 'forged', 'none', 'hs256'] as const)
    probes.push({ path: base, auth, ...(takesBody ? { body: '{}' } : {}) });
  return probes;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

async function send(route: RouteSpec, probe: Probe): Promise<Answer> {
  const headers: Record<string, string> = { ...authHeader(probe.auth) };
  if (probe.body !== undefined) headers['content-type'] = probe.contentType ?? 'application/json';
  const res = await fetch(`${platform.url}${probe.path}`, {
    method: route.method,
    headers,
    ...(probe.body !== undefined && route.method !== 'GET' ? { body: probe.body } : {}),
  });
  const contentType = res.headers.get('content-type') ?? '';
  // An accepted event stream stays open: its first bytes are enough.
  if (contentType.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, body: '', contentType };
  }
  return { status: res.status, body: await res.text(), contentType };
}

function refusalProblem(answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/json'))
    return `refused with ${answer.contentType || 'no content type'}`;
  try {
    const code = (JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } })
      .error;
    if (typeof code?.code !== 'string' || !(errorCodes as string[]).includes(code.code))
      return `refused without a catalogue code: ${answer.body.slice(0, 200)}`;
    if (typeof code.message !== 'string' || code.message.length < 10)
      return `refused without a sentence: ${answer.body.slice(0, 200)}`;
  } catch {
    return `refused with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  return undefined;
}

describe('hostile input to every route', () => {
  it.each(routes.map((r) => ({ name: `${r.method} ${r.path}`, route: r })))(
    '$name never answers 5xx, and refuses with a JSON error code',
    async ({ route }) => {
      const problems: string[] = [];
      let refused = 0;
      for (const probe of probesFor(route)) {
        const answer = await send(route, probe);
        if (answer.status >= 400) refused++;
        const problem = refusalProblem(answer);
        if (problem)
          problems.push(
            `${route.method} ${probe.path.slice(0, 120)} [${probe.auth}] ${probe.body?.slice(0, 60) ?? ''}: ${problem}`,
          );
      }
      expect(problems).toEqual([]);
      // A route that takes a token or input refused some of it (the probes reached it).
      if (route.auth !== 'none' || route.body || route.query) expect(refused).toBeGreaterThan(0);
    },
  );

  it('left the session it used working', async () => {
    expect((await alice.api.conversation(conversationId)).id).toBe(conversationId);
  });
});
