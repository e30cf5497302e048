// Prints the gzip size of the production build by what loads when:
// `npm run build -w @rchat/web && npx tsx apps/web/scripts/bundle-size.ts`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const assets = fileURLToPath(new URL('../dist/assets', import.meta.url));
const gzipped = (file: string) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;

/** The entry (React and the login page) loads first; the main page and the SDK with its crypto are separate chunks loaded on demand. */
function part(file: string): string {
  if (file.startsWith('index-') || file.startsWith('rolldown-runtime-')) return 'first load: entry and login page';
  if (file.startsWith('main-page-')) return 'main page (lazy)';
  return 'SDK and crypto (lazy)';
}

const sizes = new Map<string, number>();
let total = 0;
const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
for (const file of files) {
  const size = gzipped(file);
  total += size;
  sizes.set(part(file), (sizes.get(part(file)) ?? 0) + size);
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
for (const [name, size] of sizes) console.log(`${name.padEnd(34)} ${kib(size)} gzip`);
console.log(`${'total'.padEnd(34)} ${kib(total)} gzip in ${files.length} files`);
