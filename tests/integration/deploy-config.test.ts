import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  createHttpApp,
  createLogger,
  createMemoryBus,
  httpStatusByCode,
  openCallerAuth,
  type CallerAuth,
  type HttpApp,
} from '@rchat/server-kit';
import {
  createUsersService,
  loadUsersConfig,
  usersConfigSchema,
  type UsersService,
} from '@rchat/users';
import { chatConfigSchema, createChatService, loadChatConfig, type ChatService } from '@rchat/chat';
import { createDeliveryService, deliveryConfigSchema, loadDeliveryConfig } from '@rchat/delivery';
import { contentSecurityPolicy } from '@rchat/server';
import { bundles } from '../../scripts/build.ts';
import {
  children,
  parseNginxConfig,
  renderLoopbackNginxConfig,
  type Directive,
} from '../../scripts/cluster/nginx-config.ts';

/**
 * The deployment files (deploy/) checked without Docker or nginx: compose's
 * environment against each service's own config schema, nginx's upstreams
 * against compose, and nginx's routing against the routes the services
 * actually register.
 */

const repo = join(import.meta.dirname, '../..');
const deploy = (file: string) => join(repo, 'deploy', file);
const read = (file: string) => readFileSync(deploy(file), 'utf8');

type ServiceName = 'users' | 'chat' | 'delivery';
const schemas: Record<ServiceName, z.ZodObject> = {
  users: usersConfigSchema,
  chat: chatConfigSchema,
  delivery: deliveryConfigSchema,
};

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  networks?: Record<string, { aliases?: string[] } | null>;
  volumes?: string[];
  ports?: string[];
}

// Secrets compose requires (`${VAR:?…}`) get test values; the rest take their defaults.
const secrets: Record<string, string> = {
  RCHAT_DB_PASSWORD: 'f3a9c1d27b8e4605',
  RCHAT_INTERNAL_TOKEN: 'a'.repeat(24) + '0123456789abcdef0123456789',
  RCHAT_NATS_USERS_PASSWORD: 'usersnatspasswordkhgj',
  RCHAT_NATS_CHAT_PASSWORD: 'chatnatspasswordmnbvq',
  RCHAT_NATS_DELIVERY_PASSWORD: 'deliverynatspasswordzx',
};
const referenced = new Map<string, { required: boolean }>();

/**
 * Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}.
 */
function interpolate(text: string): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const required = op === ':?' || op === '?';
      referenced.set(name, { required: required || (referenced.get(name)?.required ?? false) });
      const value = secrets[name];
      if (value !== undefined) return value;
      if (op === ':-' || op === '-') return arg ?? '';
      throw new Error(
        `compose.yaml needs ${name}${required ? ` (${arg})` : ''}, and it has no default.`,
      );
    },
  );
}

function interpolateAll<T>(value: T): T {
  if (typeof value === 'string') return interpolate(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolateAll(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateAll(v as unknown)]),
    ) as T;
  return value;
}

const compose = interpolateAll(
  parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> },
);
const services = compose.services;

/**
 * The source entry point of the bundle a compose service runs (`node … dist/chat.mjs`, see
 * scripts/build.ts).
 */
const entryOf = (s: ComposeService): string | undefined =>
  s.command
    ?.map((a) => bundles[a.replace(/^dist\//, '') as keyof typeof bundles] as string | undefined)
    .find(Boolean);
/** The rchat service a compose service runs, from its command. */
function runs(s: ComposeService): ServiceName | null {
  const entry = entryOf(s);
  return entry && /^services\/(users|chat|delivery)\/src\/main\.ts$/.test(entry)
    ? (entry.split('/')[1] as ServiceName)
    : null;
}
const instancesOf = (name: ServiceName) =>
  Object.keys(services).filter((k) => runs(services[k] as ComposeService) === name);
function envOf(key: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services[key]?.environment ?? {}).map(([k, v]) => [k, String(v)]),
  );
}
/** Compose services reachable under a host name: by service name or network alias. */
function servicesAt(host: string): string[] {
  return Object.keys(services).filter(
    (k) =>
      k === host ||
      Object.values(services[k]?.networks ?? {}).some((n) => n?.aliases?.includes(host)),
  );
}
function portOf(key: string): number {
  const name = runs(services[key] as ComposeService) as ServiceName;
  return (schemas[name].parse(envOf(key)) as { PORT: number }).PORT;
}

const nginxConf = parseNginxConfig(read('nginx.conf'));
const http = children(nginxConf, 'http')[0]?.block ?? [];
const routesConf = parseNginxConfig(read('nginx-routes.conf'));
const tlsConf = parseNginxConfig(read('nginx-tls.conf'));

/** A server block with its `include`s of deploy/ files expanded. */
function expand(block: readonly Directive[]): Directive[] {
  return block.flatMap((d) =>
    d.name === 'include' && existsSync(deploy(d.args[0] ?? ''))
      ? expand(parseNginxConfig(read(d.args[0] as string)))
      : [d],
  );
}
const servers = children(http, 'server').map((s) => expand(s.block ?? []));
const listensOf = (server: Directive[]) => children(server, 'listen').map((l) => l.args[0]);
const publicServer = servers.find((s) => listensOf(s).includes('80')) ?? [];
const internalServer =
  servers.find((s) => listensOf(s).some((l) => l?.startsWith('127.0.0.1:'))) ?? [];

/**
 * The location nginx picks for a path: exact match, else the longest prefix (`^~` stops there),
 * else the first matching regex.
 */
function locationFor(server: Directive[], path: string): Directive | undefined {
  const locations = children(server, 'location');
  const exact = locations.find((l) => l.args[0] === '=' && l.args[1] === path);
  if (exact) return exact;
  const prefixes = locations.filter(
    (l) => (l.args.length === 1 || l.args[0] === '^~') && path.startsWith(l.args.at(-1) as string),
  );
  const longest = prefixes.sort(
    (a, b) => (b.args.at(-1) as string).length - (a.args.at(-1) as string).length,
  )[0];
  if (longest?.args[0] === '^~') return longest;
  const regex = locations.find(
    (l) =>
      (l.args[0] === '~' || l.args[0] === '~*') &&
      new RegExp(l.args[1] as string, l.args[0] === '~*' ? 'i' : '').test(path),
  );
  return regex ?? longest;
}

/**
 * A directive's arguments as in effect in a location (nginx inherits from the server and http
 * levels when the location sets none).
 */
function effective(name: string, location: Directive | undefined, server: Directive[]): string[][] {
  for (const level of [location?.block ?? [], server, http]) {
    const found = children(level, name);
    if (found.length > 0) return found.map((d) => d.args);
  }
  return [];
}

const upstreamOf = (location: Directive | undefined) =>
  /^http:\/\/([\w-]+)$/.exec(children(location?.block, 'proxy_pass')[0]?.args[0] ?? '')?.[1];

function seconds(value: string | undefined): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(value ?? '');
  if (!m) return Number.NaN;
  return (
    Number(m[1]) *
    { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd']
  );
}

function bytes(value: string | undefined): number {
  const m = /^(\d+)([kKmMgG])?$/.exec(value ?? '');
  if (!m) return Number.NaN;
  return (
    Number(m[1]) *
    ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1)
  );
}

// The routes each service really registers, gathered from the services themselves.
// Per route: the largest request body it accepts (0 when no method of it takes a body).
const routes: Record<ServiceName, Map<string, number>> = {
  users: new Map(),
  chat: new Map(),
  delivery: new Map(),
};
const opened: {
  apps: HttpApp[];
  users?: UsersService;
  chat?: ChatService;
  auth?: CallerAuth;
} = { apps: [] };

beforeAll(async () => {
  const logger = createLogger({ level: 'silent', name: 'deploy-config-test' });
  const probe = (name: ServiceName) => {
    const app = createHttpApp({ logger });
    app.addHook('onRoute', (route) => {
      const takesBody = [route.method]
        .flat()
        .some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH');
      const limit = takesBody ? (route.bodyLimit ?? app.initialConfig.bodyLimit ?? 0) : 0;
      routes[name].set(route.url, Math.max(limit, routes[name].get(route.url) ?? 0));
    });
    opened.apps.push(app);
    return app;
  };
  const bus = createMemoryBus();
  const auth = await openCallerAuth({
    bus,
    keySet: async () => ({ keys: [] }),
    revocations: async () => [],
    logger,
  });
  opened.auth = auth;
  [opened.users, opened.chat] = await Promise.all([
    createUsersService(loadUsersConfig({}), logger, { bus, memory: true }),
    createChatService(loadChatConfig({}), logger, {
      bus,
      users: { getUser: async () => null },
      memory: true,
    }),
  ]);
  const delivery = await createDeliveryService(loadDeliveryConfig({}), logger, {
    bus,
    readInbox: async () => ({ entries: [], headSeq: 0 }),
  });
  for (const [name, plugin] of [
    ['users', opened.users.plugin],
    ['chat', opened.chat.plugin],
    ['delivery', delivery.plugin],
  ] as const) {
    const app = probe(name);
    await app.register(plugin, { auth, metrics: app.metrics });
  }
  await Promise.all(opened.apps.map((a) => a.ready()));
});

afterAll(async () => {
  await Promise.all(opened.apps.map((a) => a.close()));
  await opened.users?.close();
  await opened.chat?.close();
  opened.auth?.close();
});

describe('compose.yaml', () => {
  it('runs users once, chat twice and delivery twice, each from the one image built by deploy/Dockerfile', () => {
    expect(instancesOf('users')).toHaveLength(1);
    expect(instancesOf('chat')).toHaveLength(2);
    expect(instancesOf('delivery')).toHaveLength(2);
    for (const key of [
      ...instancesOf('users'),
      ...instancesOf('chat'),
      ...instancesOf('delivery'),
    ]) {
      const s = services[key] as ComposeService;
      expect(s.build, key).toEqual({
        context: '..',
        dockerfile: 'deploy/Dockerfile',
        target: 'runtime',
      });
      expect(s.command?.[0], key).toBe('node');
      const entry = entryOf(s) ?? '';
      expect(existsSync(join(repo, entry)), `${key} runs the bundle of ${entry}`).toBe(true);
      expect(s.ports ?? [], `${key} publishes no port: only nginx faces clients`).toEqual([]);
    }
  });

  it("gives every service an environment that service's config schema accepts", () => {
    for (const name of ['users', 'chat', 'delivery'] as const) {
      for (const key of instancesOf(name)) {
        const result = schemas[name].safeParse(envOf(key));
        expect(
          result.success
            ? 'valid'
            : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          key,
        ).toBe('valid');
        expect(envOf(key).PORT, `${key} sets PORT explicitly`).toMatch(/^\d+$/);
      }
    }
  });

  it('sets everything scaled-out mode needs: PostgreSQL per service, NATS, peer URLs that resolve, one shared internal token', () => {
    const initSql = read('postgres/init.sql');
    const databaseOf = (key: string) => {
      const url = new URL(envOf(key).DATABASE_URL ?? 'missing:');
      expect(url.protocol, `${key} DATABASE_URL`).toBe('postgres:');
      expect(servicesAt(url.hostname), `${key} DATABASE_URL host`).toEqual(['postgres']);
      expect(decodeURIComponent(url.username)).toBe(
        String(services.postgres?.environment?.POSTGRES_USER),
      );
      expect(decodeURIComponent(url.password)).toBe(
        String(services.postgres?.environment?.POSTGRES_PASSWORD),
      );
      const name = url.pathname.slice(1);
      expect(initSql, `postgres/init.sql creates ${name}`).toMatch(
        new RegExp(`create database "?${name}"?`, 'i'),
      );
      return name;
    };
    const usersDbs = new Set(instancesOf('users').map(databaseOf));
    const chatDbs = new Set(instancesOf('chat').map(databaseOf));
    expect(usersDbs.size).toBe(1);
    expect(chatDbs.size, 'both chat instances share one database').toBe(1);
    expect([...usersDbs][0]).not.toBe([...chatDbs][0]);

    const pointsAt = (key: string, variable: string, target: ServiceName) => {
      const url = new URL(envOf(key)[variable] ?? 'missing:');
      const at = servicesAt(url.hostname);
      expect(at.length, `${key} ${variable} names a compose service`).toBeGreaterThan(0);
      for (const t of at) {
        expect(runs(services[t] as ComposeService), `${key} ${variable}`).toBe(target);
        expect(Number(url.port || 80), `${key} ${variable} port`).toBe(portOf(t));
      }
    };
    for (const key of [
      ...instancesOf('users'),
      ...instancesOf('chat'),
      ...instancesOf('delivery'),
    ]) {
      const nats = new URL(envOf(key).NATS_URL ?? 'missing:');
      expect(servicesAt(nats.hostname), `${key} NATS_URL`).toEqual(['nats']);
    }
    for (const key of instancesOf('chat')) pointsAt(key, 'USERS_URL', 'users');
    for (const key of instancesOf('delivery')) {
      pointsAt(key, 'USERS_URL', 'users');
      pointsAt(key, 'CHAT_URL', 'chat');
    }
    // Delivery's CHAT_URL name spreads over every chat instance.
    const chatHost = new URL(envOf(instancesOf('delivery')[0] as string).CHAT_URL as string)
      .hostname;
    expect(servicesAt(chatHost).sort()).toEqual(instancesOf('chat').sort());
    const tokens = new Set(
      [...instancesOf('users'), ...instancesOf('chat'), ...instancesOf('delivery')].map(
        (k) => envOf(k).INTERNAL_TOKEN,
      ),
    );
    expect([...tokens]).toEqual([secrets.RCHAT_INTERNAL_TOKEN]);
    expect(services.nats?.command, 'NATS runs with JetStream').toContain('--jetstream');
  });

  it('signs every service in to NATS as its own user, with the password deploy/nats.conf expects for that user', () => {
    const nats = services.nats as ComposeService;
    expect(nats.volumes).toContain('./nats.conf:/etc/nats/rchat.conf:ro');
    expect(nats.command?.slice(0, 2)).toEqual(['--config', '/etc/nats/rchat.conf']);
    // Each user of nats.conf: its name, the variable its password comes from, and whether it may
    // publish.
    const users = new Map(
      [
        ...read('nats.conf').matchAll(
          /^\s*\{ user: (\w+), password: \$(\w+), permissions: \{ publish: (.+?), subscribe:/gm,
        ),
      ].map((m) => [m[1], { variable: m[2] as string, publish: m[3] }]),
    );
    expect([...users.keys()].sort()).toEqual(['chat', 'delivery', 'users']);
    for (const name of ['users', 'chat', 'delivery'] as const) {
      const user = users.get(name);
      for (const key of instancesOf(name)) {
        expect(envOf(key).NATS_USER, `${key} NATS_USER`).toBe(name);
        expect(envOf(key).NATS_PASSWORD, `${key} NATS_PASSWORD`).toBe(
          secrets[user?.variable ?? ''],
        );
      }
      // The NATS container gets the variable nats.conf reads, and compose refuses to start without
      // it.
      expect(String(nats.environment?.[user?.variable ?? ''])).toBe(secrets[user?.variable ?? '']);
      expect(referenced.get(user?.variable ?? '')?.required, `${user?.variable} is required`).toBe(
        true,
      );
    }
    expect(users.get('delivery')?.publish, 'delivery only reads from the bus').toBe(
      '{ deny: ">" }',
    );
  });

  it('reads only variables that deploy/.env.example documents', () => {
    const documented = new Set(
      read('.env.example')
        .split('\n')
        .flatMap((line) => /^([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1] ?? []),
    );
    expect([...referenced.keys()].filter((v) => !documented.has(v))).toEqual([]);
    for (const [name, { required }] of referenced)
      if (required)
        expect(read('.env.example'), `${name} ships empty`).toMatch(new RegExp(`^${name}=$`, 'm'));
  });

  it('mounts every file nginx.conf includes from deploy/', () => {
    const mounts = (services.nginx?.volumes ?? []).map((v) => v.split(':'));
    expect(mounts).toContainEqual(['./nginx.conf', '/etc/nginx/nginx.conf', 'ro']);
    const includes = [...read('nginx.conf').matchAll(/^\s*#?\s*include\s+([\w.-]+);/gm)]
      .map((m) => m[1] as string)
      .filter((f) => existsSync(deploy(f)));
    expect(includes.sort()).toEqual(['nginx-routes.conf', 'nginx-tls.conf']);
    for (const file of includes)
      expect(mounts).toContainEqual([`./${file}`, `/etc/nginx/${file}`, 'ro']);
  });
});

describe('nginx.conf', () => {
  it('lists exactly the compose instances of each service, at their ports, as upstreams', () => {
    const upstreams = Object.fromEntries(
      children(http, 'upstream').map((u) => [
        u.args[0],
        children(u.block, 'server')
          .map((s) => s.args[0])
          .sort(),
      ]),
    );
    const expected = Object.fromEntries(
      (['users', 'chat', 'delivery'] as const).map((name) => [
        name,
        instancesOf(name)
          .map((k) => `${k}:${portOf(k)}`)
          .sort(),
      ]),
    );
    expect(upstreams).toEqual(expected);
  });

  it('routes every public route of each service to that service', () => {
    let checked = 0;
    for (const name of ['users', 'chat', 'delivery'] as const) {
      for (const route of routes[name].keys()) {
        if (route.startsWith('/internal/')) continue;
        const path = route.replace(/:\w+/g, 'x1');
        expect(upstreamOf(locationFor(publicServer, path)), `${route} (${name})`).toBe(name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('never proxies /internal/ publicly, and proxies it to chat on a loopback-only server', () => {
    const internalRoutes = [...routes.chat.keys()].filter((r) => r.startsWith('/internal/'));
    expect(internalRoutes.length).toBeGreaterThan(0);
    for (const route of internalRoutes) {
      const path = route.replace(/:\w+/g, 'x1');
      expect(upstreamOf(locationFor(publicServer, path)), route).toBeUndefined();
      expect(upstreamOf(locationFor(internalServer, path)), route).toBe('chat');
    }
    expect(listensOf(internalServer).every((l) => l?.startsWith('127.0.0.1:'))).toBe(true);
    expect(upstreamOf(locationFor(internalServer, '/conversations'))).toBeUndefined();
  });

  it('streams events unbuffered over HTTP/1.1 and keeps idle streams open for an hour', () => {
    const events = locationFor(publicServer, '/events');
    expect(upstreamOf(events)).toBe('delivery');
    expect(effective('proxy_buffering', events, publicServer)).toEqual([['off']]);
    expect(
      seconds(effective('proxy_read_timeout', events, publicServer)[0]?.[0]),
    ).toBeGreaterThanOrEqual(3600);
    expect(effective('proxy_http_version', events, publicServer)).toEqual([['1.1']]);
    expect(effective('proxy_set_header', events, publicServer)).toContainEqual(['Connection', '']);
  });

  it('lets through every request body a route accepts, including the largest message any chat instance accepts', () => {
    const limitAt = (path: string) =>
      bytes(
        effective('client_max_body_size', locationFor(publicServer, path), publicServer)[0]?.[0],
      );
    for (const name of ['users', 'chat', 'delivery'] as const) {
      for (const [route, bodyLimit] of routes[name]) {
        if (!route.startsWith('/internal/'))
          expect(
            limitAt(route.replace(/:\w+/g, 'x1')),
            `${route} (${name}) accepts ${bodyLimit} bytes`,
          ).toBeGreaterThanOrEqual(bodyLimit);
      }
    }
    const limit = limitAt('/conversations/x1/messages');
    expect(limit).toBeGreaterThanOrEqual(128 * 1024);
    for (const key of instancesOf('chat')) {
      const { MAX_CIPHERTEXT_BYTES } = chatConfigSchema.parse(envOf(key));
      // The chat route's own body limit: the base64 of the ciphertext plus the JSON around it.
      expect(limit, key).toBeGreaterThanOrEqual(Math.ceil((MAX_CIPHERTEXT_BYTES * 4) / 3) + 4096);
    }
  });

  it('answers the errors nginx makes itself (a body over client_max_body_size, no upstream answering) with the JSON error body of the services', () => {
    const pages = new Map(
      children(routesConf, 'error_page').flatMap((d) =>
        d.args.slice(0, -1).map((status) => [status, d.args.at(-1)]),
      ),
    );
    for (const [status, code] of [
      ['413', 'PAYLOAD_TOO_LARGE'],
      ['502', 'UNAVAILABLE'],
      ['503', 'UNAVAILABLE'],
      ['504', 'UNAVAILABLE'],
    ] as const) {
      const location = children(routesConf, 'location').find(
        (l) => l.args[0] === pages.get(status),
      );
      expect(location, `error_page ${status}`).toBeDefined();
      expect(children(location?.block, 'default_type')[0]?.args).toEqual(['application/json']);
      const [answered, body = ''] = children(location?.block, 'return')[0]?.args ?? [];
      const parsed = JSON.parse(body.replace('$rchat_request_id', 'r1')) as {
        error: { code: keyof typeof httpStatusByCode; message: string; requestId: string };
      };
      expect(parsed.error.code, `error_page ${status}`).toBe(code);
      expect(Number(answered)).toBe(httpStatusByCode[code]);
      expect(parsed.error.requestId).toBe('r1');
    }
  });

  it("passes the caller's request id on (or makes one) and returns it", () => {
    const map = children(http, 'map').find((m) => m.args[0] === '$http_x_request_id');
    const variable = map?.args[1] ?? '(none)';
    expect(children(map?.block, 'default')[0]?.args).toEqual(['$http_x_request_id']);
    expect(children(map?.block, '')[0]?.args).toEqual(['$request_id']);
    const chat = locationFor(publicServer, '/conversations');
    expect(effective('proxy_set_header', chat, publicServer)).toContainEqual([
      'X-Request-Id',
      variable,
    ]);
    expect(effective('add_header', chat, publicServer)).toContainEqual([
      'X-Request-Id',
      variable,
      'always',
    ]);
    expect(effective('proxy_set_header', chat, publicServer)).toContainEqual([
      'X-Forwarded-For',
      '$remote_addr',
    ]);
  });

  it('keeps every header a server adds in the locations that add their own, HSTS on every location of the TLS server', () => {
    const headerNames = (block: readonly Directive[] | undefined) =>
      children(block, 'add_header').map((d) => d.args[0]);
    const tls = expand(children(tlsConf, 'server')[0]?.block ?? []);
    for (const [name, server] of [
      ['public', publicServer],
      ['tls', tls],
    ] as const) {
      const outer = headerNames(server);
      expect(outer, name).toContain('Strict-Transport-Security');
      for (const location of children(server, 'location')) {
        const own = headerNames(location.block);
        if (own.length > 0)
          expect(own, `${name} location ${location.args.join(' ')}`).toEqual(
            expect.arrayContaining(outer),
          );
      }
    }
    const hsts = children(http, 'map').find((m) => m.args[0] === '$scheme');
    const variable = hsts?.args[1] ?? '(none)';
    for (const location of children(tls, 'location')) {
      expect(
        effective('add_header', location, tls),
        `TLS location ${location.args.join(' ')}`,
      ).toContainEqual(['Strict-Transport-Security', variable, 'always']);
    }
    // Sent on HTTPS for two years; empty (so not sent) on plain HTTP, where browsers ignore it.
    const maxAge = /^max-age=(\d+)$/.exec(children(hsts?.block, 'https')[0]?.args[0] ?? '')?.[1];
    expect(Number(maxAge)).toBeGreaterThanOrEqual(31_536_000);
    expect(children(hsts?.block, 'default')[0]?.args).toEqual(['']);
  });

  it('logs requests without their query string, where browsers put the access token of an event stream', () => {
    const all = (block: readonly Directive[]): Directive[] =>
      block.flatMap((d) => [d, ...all(d.name === 'include' ? [] : (d.block ?? []))]);
    const logs = [
      ...all(http),
      ...servers.flatMap(all),
      ...all(expand(children(tlsConf, 'server')[0]?.block ?? [])),
    ].filter((d) => d.name === 'access_log' && d.args[0] !== 'off');
    expect(logs.length).toBeGreaterThan(0);
    const formats = new Map(
      children(http, 'log_format').map((f) => [f.args[0], f.args.slice(1).join('')]),
    );
    for (const log of logs) {
      const format = formats.get(log.args[1] ?? '');
      expect(
        format,
        `access_log ${log.args.join(' ')} names a log_format of nginx.conf`,
      ).toBeDefined();
      expect(format).not.toMatch(
        /\$(request|request_uri|args|query_string|is_args|arg_\w+|http_referer)\b/,
      );
      expect(format).toContain('$rchat_request_path');
    }
    const map = children(http, 'map').find(
      (m) => m.args[0] === '$request_uri' && m.args[1] === '$rchat_request_path',
    );
    const [pattern, value] = [map?.block?.[0]?.name ?? '', map?.block?.[0]?.args[0] ?? ''];
    const logged = (uri: string) =>
      value.replace(
        /\$(\w+)/g,
        (_m, g: string) => new RegExp(pattern.replace(/^~/, '')).exec(uri)?.groups?.[g] ?? '',
      );
    expect(logged('/events?since=3&access_token=eyJhbGciOiJFZERTQSJ9.e30.c2ln')).toBe('/events');
    expect(logged('/events?access%5Ftoken=x')).toBe('/events');
    expect(logged('/conversations/c1/messages')).toBe('/conversations/c1/messages');
  });

  it('has a TLS server with the same routes', () => {
    const tls = expand(children(tlsConf, 'server')[0]?.block ?? []);
    expect(children(tls, 'listen')[0]?.args.slice(0, 2)).toEqual(['443', 'ssl']);
    expect(children(tls, 'ssl_certificate')).toHaveLength(1);
    expect(children(tls, 'location').map((l) => l.args)).toEqual(
      children(routesConf, 'location').map((l) => l.args),
    );
  });

  it('renders for the loopback cluster with only the instances and listen addresses replaced', () => {
    const options = {
      upstreams: {
        users: ['127.0.0.1:9101'],
        chat: ['127.0.0.1:9102', '127.0.0.1:9103'],
        delivery: ['127.0.0.1:9104', '127.0.0.1:9105'],
      },
      listen: { '80': '127.0.0.1:9100', '127.0.0.1:8089': '127.0.0.1:9109' },
      webRoot: '/srv/web',
      runDir: '/run/rchat-test',
      includeDir: join(repo, 'deploy'),
    };
    const rendered = parseNginxConfig(renderLoopbackNginxConfig(read('nginx.conf'), options));
    const renderedHttp = children(rendered, 'http')[0]?.block ?? [];
    expect(
      Object.fromEntries(
        children(renderedHttp, 'upstream').map((u) => [
          u.args[0],
          children(u.block, 'server').map((s) => s.args[0]),
        ]),
      ),
    ).toEqual(options.upstreams);
    expect(
      children(renderedHttp, 'server').flatMap((s) =>
        children(s.block, 'listen').map((l) => l.args[0]),
      ),
    ).toEqual(['127.0.0.1:9100', '127.0.0.1:9109']);
    expect(children(rendered, 'pid')[0]?.args).toEqual(['/run/rchat-test/nginx.pid']);
    // Routes are included from the deploy folder itself, not copied.
    expect(children(children(renderedHttp, 'server')[0]?.block, 'include')[0]?.args).toEqual([
      deploy('nginx-routes.conf'),
    ]);
    expect(() =>
      renderLoopbackNginxConfig(read('nginx.conf'), {
        ...options,
        upstreams: { users: ['127.0.0.1:1'] },
      }),
    ).toThrow(/no loopback instances given for upstream "chat"/);
    expect(() =>
      renderLoopbackNginxConfig(read('nginx.conf'), {
        ...options,
        listen: { '80': '127.0.0.1:1' },
      }),
    ).toThrow(/listen 127\.0\.0\.1:8089/);
  });
});

describe('nginx-routes.conf web client', () => {
  it('sends the same Content-Security-Policy as the single-process server, and caches hashed assets for good', () => {
    const routes = read('nginx-routes.conf');
    expect(routes).toContain(
      `add_header Content-Security-Policy "${contentSecurityPolicy}" always;`,
    );
    expect(routes).toMatch(/location \/assets\/ \{[^}]*immutable[^}]*\}/);
  });
});
