import { existsSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { HttpApp, Logger } from '@rchat/server-kit';

/**
 * First path segments that belong to the API (and nginx routes to services): never answered with
 * the web client.
 */
export const apiSegments: ReadonlySet<string> = new Set([
  'auth',
  'users',
  'devices',
  'keys',
  'link',
  'backup',
  '.well-known',
  'conversations',
  'inbox',
  'events',
  'internal',
  'healthz',
  'readyz',
  'metrics',
  'openapi.json',
]);

/**
 * The page's policy: scripts, styles and connections only from this origin,
 * no inline script, no framing. The client needs nothing else (no CDN, no WASM, no eval).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const pageHeaders: Record<string, string> = {
  'cache-control': 'no-cache',
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export function isApiPath(pathname: string): boolean {
  return apiSegments.has(pathname.split('/')[1] ?? '');
}

/**
 * Files under assets/ carry a content hash in their name: they never change, so browsers may keep
 * them for a year.
 */
function setFileHeaders(reply: FastifyReply, path: string, root: string): void {
  const relative = path
    .slice(root.length + 1)
    .split(sep)
    .join('/');
  if (basename(relative) === 'index.html') {
    for (const [k, v] of Object.entries(pageHeaders)) void reply.header(k, v);
  } else if (relative.startsWith('assets/')) {
    void reply.header('cache-control', 'public, max-age=31536000, immutable');
    void reply.header('x-content-type-options', 'nosniff');
  } else {
    void reply.header('cache-control', 'no-cache');
    void reply.header('x-content-type-options', 'nosniff');
  }
}

/**
 * Serves the built web client from `distDir` at `/`: its files (precompressed
 * variants when the browser accepts them), and index.html for every other GET
 * path that is not an API path and does not name a file (client routes such as
 * /login and /chat/:id). Returns false, and serves nothing, when there is no build.
 */
export async function registerWebClient(
  app: HttpApp,
  distDir: string,
  logger: Logger,
): Promise<boolean> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) {
    logger.warn(
      { distDir: root },
      'no built web client: only the API is served (run `npm run build -w @rchat/web`, or set WEB_DIST_DIR)',
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    preCompressed: true,
    dotfiles: 'ignore',
    cacheControl: false,
    globIgnore: ['**/*.gz', '**/*.br'],
    setHeaders: (reply, path) => setFileHeaders(reply, path, root),
  });
  const page = (pathname: string, reply: FastifyReply) => {
    // API paths keep their JSON 404; a missing file (a name with an extension) is a 404, not the
    // page.
    if (isApiPath(pathname) || /\.[a-z0-9]+$/i.test(pathname)) return reply.callNotFound();
    return reply.sendFile('index.html');
  };
  app.get('/', { logLevel: 'warn' }, (_request, reply) => page('/', reply));
  app.get('/*', { logLevel: 'warn' }, (request, reply) =>
    page(request.url.split('?')[0] ?? '/', reply),
  );
  logger.info({ distDir: root }, 'serving the web client at /');
  return true;
}
