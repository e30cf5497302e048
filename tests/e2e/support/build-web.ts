import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: the web client the tests drive is the production build, rebuilt when its
 * sources changed.
 */
export default function buildWeb(): void {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const result = spawnSync('npx', ['tsx', 'apps/web/scripts/build-if-stale.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the web client failed (see above)');
}
