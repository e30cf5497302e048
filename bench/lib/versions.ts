import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Version of an npm package installed at the repo root ('?' when absent). */
export function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(
      readFileSync(`${repoRoot}node_modules/${name}/package.json`, 'utf8'),
    ) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return '?';
  }
}
