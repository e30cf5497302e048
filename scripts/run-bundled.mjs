// Runs one of the repository's TypeScript entry points with plain Node.js:
//
//   node scripts/run-bundled.mjs apps/server/src/main.ts     # what `npm start` runs
//
// esbuild bundles the workspace's own sources (packages, services, apps) into
// one file under node_modules/.cache/rchat/; dependencies in node_modules stay
// outside and load as usual. Node then loads one module instead of ~150
// TypeScript files through tsx's loader (which, with the ~1,100 dependency
// files it also routes, took most of the start-up time). The bundle is made
// again only when one of its sources is newer; the code is the same that tsx
// runs, so nothing drifts. Where the cache cannot be written, it falls back to tsx.
import console from 'node:console';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-bundled.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entryPath = resolve(entry);
const cacheDir = join(root, 'node_modules/.cache/rchat');
const outfile = join(cacheDir, `${relative(root, entryPath).replace(/[/\\]/g, '_').replace(/\.ts$/, '')}.mjs`);
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

async function bundle() {
  const esbuild = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [entryPath],
    outfile,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    write: false,
    logLevel: 'warning',
    // Only the workspace's own packages go into the bundle.
    plugins: [{ name: 'dependencies-outside', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@rchat/') ? undefined : { path: a.path, external: true })) }],
  });
  // esbuild's service process is not needed any more.
  await esbuild.stop();
  // Written aside and renamed, so a process starting at the same time never reads half a file; the bundle after its map.
  const files = [...result.outputFiles.map((f) => ({ path: f.path, contents: f.contents })), { path: metafile, contents: JSON.stringify(result.metafile) }];
  files.sort((a, b) => rank(a.path) - rank(b.path));
  for (const file of files) {
    const aside = `${file.path}.${process.pid}`;
    writeFileSync(aside, file.contents);
    renameSync(aside, file.path);
  }
}

const rank = (path) => (path.endsWith('.map') ? 0 : path === outfile ? 1 : 2);

process.argv.splice(1, 2, entryPath);
process.setSourceMapsEnabled(true);
let bundled = true;
try {
  if (!upToDate()) await bundle();
} catch (err) {
  console.error(`could not bundle ${entry} (${err instanceof Error ? err.message : String(err)}); running it through tsx`);
  bundled = false;
}
if (bundled) {
  await import(pathToFileURL(outfile).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entryPath).href);
}
