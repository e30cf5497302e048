// Builds the web client when apps/web/dist is missing or older than any of its
// inputs (its own sources and the workspace packages it bundles). `npm start`
// runs this first, so a fresh clone serves a client without a separate step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const web = join(root, 'apps/web');
const builtMarker = join(web, 'dist/index.html');
const inputs = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/sdk/src',
  'packages/crypto/src',
  'packages/protocol/src',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  );
}

const builtAt = existsSync(builtMarker) ? statSync(builtMarker).mtimeMs : 0;
const changedAt = Math.max(...inputs.map((p) => newestMtime(join(root, p))));
if (builtAt > changedAt) {
  console.log('web client: apps/web/dist is up to date');
} else {
  console.log(
    builtAt === 0
      ? 'web client: building apps/web/dist'
      : 'web client: sources changed, rebuilding apps/web/dist',
  );
  // Always the production build: a NODE_ENV inherited from a test runner (vitest sets "test") would
  // bundle React's development build.
  const result = spawnSync('npm', ['run', 'build', '-w', '@rchat/web'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    console.error(
      'web client: the build failed; fix the error above or run `npm run build -w @rchat/web`.',
    );
    process.exit(result.status ?? 1);
  }
}
