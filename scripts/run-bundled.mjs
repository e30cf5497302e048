// Runs one of the repository's TypeScript entry points with plain Node.js:
//
//   node scripts/run-bundled.mjs apps/server/src/main.ts     # what `npm start` runs
//
// esbuild bundles the workspace's own sources (packages, services, apps) into
// one file under node_modules/.cache/rchat/ (scripts/bundle.mjs, which
// `npm run build` uses too); dependencies in node_modules stay outside and load as usual. Node then
// loads one module instead of ~150
// TypeScript files through tsx's loader (which, with the ~1,100 dependency
// files it also routes, took most of the start-up time). The bundle is made
// again only when one of its sources is newer; the code is the same that tsx
// runs, so nothing drifts. Where the cache cannot be written, it falls back to tsx.
import console from 'node:console';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from './bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-bundled.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entryPath = resolve(entry);
const cacheDir = join(root, 'node_modules/.cache/rchat');
const outfile = join(
  cacheDir,
  `${relative(root, entryPath).replace(/[/\\]/g, '_').replace(/\.ts$/, '')}.mjs`,
);
const metafile = `${outfile}.meta.json`;

/** True when the bundle exists and none of the files it was made from changed since. */
function upToDate() {
  if (!existsSync(outfile) || !existsSync(metafile)) return false;
  const builtAt = statSync(outfile).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(metafile, 'utf8')).inputs);
  return inputs.every((input) => {
    const path = join(root, input);
    return existsSync(path) && statSync(path).mtimeMs < builtAt;
  });
}

process.argv.splice(1, 2, entryPath);
process.setSourceMapsEnabled(true);
let bundled = true;
try {
  if (!upToDate()) await bundle({ root, entryPath, outfile, metafile });
} catch (err) {
  console.error(
    `could not bundle ${entry} (${err instanceof Error ? err.message : String(err)}); running it through tsx`,
  );
  bundled = false;
}
if (bundled) {
  await import(pathToFileURL(outfile).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entryPath).href);
}
