import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const webAssetsDir = fileURLToPath(new URL('../dist/assets', import.meta.url));

/**
 * Which part of the app a built file belongs to: the entry loads first; the main page, the SDK with
 * its crypto, and the steps after registering or on a new device load on demand.
 */
function part(file: string): string {
  if (file.startsWith('index-') || file.startsWith('rolldown-runtime-'))
    return 'first load: entry and login page';
  if (file.startsWith('main-page-')) return 'main page (lazy)';
  if (/^(recovery-key-step|new-device-step|grouped-code)-/.test(file))
    return 'key and device steps (lazy)';
  return 'SDK and crypto (lazy)';
}

/**
 * Gzip sizes (level 9) of the production build's JS and CSS, by part; null when there is no build.
 */
export function bundleSizes(
  assets = webAssetsDir,
): { parts: { name: string; bytes: number }[]; total: number; files: number } | null {
  if (!existsSync(assets)) return null;
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  const sizes = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const size = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
    total += size;
    sizes.set(part(file), (sizes.get(part(file)) ?? 0) + size);
  }
  return {
    parts: [...sizes].map(([name, bytes]) => ({ name, bytes })),
    total,
    files: files.length,
  };
}
