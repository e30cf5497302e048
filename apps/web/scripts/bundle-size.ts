// Prints the gzip size of the production build by what loads when:
// `npm run build -w @rchat/web && npx tsx apps/web/scripts/bundle-size.ts`.
import { bundleSizes } from './bundle-sizes.ts';

const sizes = bundleSizes();
if (!sizes) {
  console.error('No build: run `npm run build -w @rchat/web` first.');
  process.exit(1);
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
for (const p of sizes.parts) console.log(`${p.name.padEnd(34)} ${kib(p.bytes)} gzip`);
console.log(`${'total'.padEnd(34)} ${kib(sizes.total)} gzip in ${sizes.files} files`);
