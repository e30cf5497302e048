// esbuild's bundling of one TypeScript entry point, shared by `npm start`
// (scripts/run-bundled.mjs, into node_modules/.cache/rchat/) and `npm run build`
// (scripts/build.ts, into dist/ for the container image): the workspace's own
// sources (packages, services, apps) go into one ES module; dependencies stay
// outside and load from node_modules as usual.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import process from 'node:process';

/**
 * Bundles `entryPath` into `outfile` (with its source map) and, when given,
 * writes esbuild's metafile to `metafile`. Each file is written aside and
 * renamed, so a process starting at the same time never reads half a file;
 * the map before the bundle, the metafile last.
 */
export async function bundle({ root, entryPath, outfile, metafile }) {
  const esbuild = await import('esbuild');
  mkdirSync(dirname(outfile), { recursive: true });
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
    plugins: [
      {
        name: 'dependencies-outside',
        setup: (b) =>
          b.onResolve({ filter: /^[^./]/ }, (a) =>
            a.path.startsWith('@rchat/') ? undefined : { path: a.path, external: true },
          ),
      },
    ],
  });
  // esbuild's service process is not needed any more.
  await esbuild.stop();
  const files = result.outputFiles.map((f) => ({ path: f.path, contents: f.contents }));
  if (metafile) files.push({ path: metafile, contents: JSON.stringify(result.metafile) });
  const rank = (path) => (path.endsWith('.map') ? 0 : path === outfile ? 1 : 2);
  files.sort((a, b) => rank(a.path) - rank(b.path));
  for (const file of files) {
    const aside = `${file.path}.${process.pid}`;
    writeFileSync(aside, file.contents);
    renameSync(aside, file.path);
  }
}
