// `npm run build`: what the container image runs, built once (deploy/Dockerfile's
// build stage runs exactly this):
//
//   apps/web/dist/     the web client (Vite's production build)
//   dist/server.mjs    the single-process server (what `npm start` runs, bundled the same way)
//   dist/users.mjs, dist/chat.mjs, dist/delivery.mjs   each service alone (scaled out)
//
// Each bundle holds the workspace's own sources; its dependencies load from
// node_modules, so the runtime needs only the production dependencies of
// the server and the services (`npm ci --omit=dev -w …`), not tsx, esbuild or Vite.
// Run them with `node --enable-source-maps dist/<name>.mjs`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Entry point of each bundle in dist/, by the bundle's file name. */
export const bundles = {
  'server.mjs': 'apps/server/src/main.ts',
  'users.mjs': 'services/users/src/main.ts',
  'chat.mjs': 'services/chat/src/main.ts',
  'delivery.mjs': 'services/delivery/src/main.ts',
} as const;

/**
 * Folders `npm run build` writes (relative to the repository): a runtime needs these and nothing
 * else of the sources.
 */
export const buildOutputs = ['dist', 'apps/web/dist'] as const;

/** The workspaces whose production dependencies the bundles load at run time. */
export const runtimeWorkspaces = [
  '@rchat/server',
  '@rchat/users',
  '@rchat/chat',
  '@rchat/delivery',
] as const;

export async function build(root = repoRoot): Promise<void> {
  // Always the production build of the client: a NODE_ENV inherited from a test runner would bundle
  // React's development build.
  const web = spawnSync('npm', ['run', 'build', '-w', '@rchat/web'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (web.status !== 0)
    throw new Error(`building the web client failed (exit ${web.status ?? web.signal})`);
  const out = join(root, 'dist');
  rmSync(out, { recursive: true, force: true });
  for (const [file, entry] of Object.entries(bundles))
    await bundle({ root, entryPath: join(root, entry), outfile: join(out, file) });
  console.log(`built ${buildOutputs.join(' and ')}: ${Object.keys(bundles).join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
