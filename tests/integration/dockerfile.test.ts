import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildOutputs, bundles, runtimeWorkspaces } from '../../scripts/build.ts';
import {
  dockerignore,
  instructionsOf,
  parseCommand,
  parseCopy,
  parseDockerfile,
  parseHealthcheck,
  type Stage,
} from '../support/dockerfile.ts';

/**
 * deploy/Dockerfile read as Docker reads it and checked against what the
 * build produces and what `npm start` runs (no Docker engine needed;
 * tests/cluster/built-image.test.ts replays the stages for real).
 */

const repo = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const stages = parseDockerfile(read('deploy/Dockerfile'));
const ignored = dockerignore(read('deploy/Dockerfile.dockerignore'));
const stage = (name: string): Stage =>
  stages.find((s) => s.name === name) ?? { name, from: 'missing', instructions: [] };
const build = stage('build');
const runtime = stages.at(-1) as Stage;
const runs = (s: Stage) => instructionsOf(s, 'RUN').map((i) => i.args);
const copies = (s: Stage) =>
  instructionsOf(s, 'COPY').map((i) => ({ ...parseCopy(i.args), line: i.line }));
const workspaceManifests = ['packages', 'services', 'apps'].flatMap((dir) =>
  readdirSync(join(repo, dir))
    .filter((w) => existsSync(join(repo, dir, w, 'package.json')))
    .map((w) => `${dir}/${w}/package.json`),
);
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

describe('deploy/Dockerfile', () => {
  it('has a build stage, an nginx stage with the web client, and the runtime stage last (the default target)', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'web', 'runtime']);
    expect(build.from).toBe('node:20-bookworm-slim');
    expect(runtime.from).toBe(build.from);
    expect(stage('web').from).toMatch(/^nginx:1\.26-/);
    expect(copies(stage('web')).map((c) => [c.from, c.sources, c.dest])).toEqual([
      ['build', ['/app/apps/web/dist'], '/usr/share/rchat/web'],
    ]);
  });

  it('builds with `npm ci` and `npm run build` from every workspace manifest, sources after dependencies', () => {
    const steps = build.instructions.map((i) => `${i.keyword} ${i.args}`);
    const install = steps.indexOf('RUN npm ci --no-audit --no-fund');
    const sources = steps.indexOf('COPY . .');
    const buildStep = steps.indexOf('RUN npm run build');
    expect(install).toBeGreaterThan(0);
    expect(sources).toBeGreaterThan(install);
    expect(buildStep).toBeGreaterThan(sources);
    expect(packageJson.scripts.build).toBe('tsx scripts/build.ts');
    expect(workspaceManifests.length).toBeGreaterThan(5);
    for (const s of [build, runtime]) {
      const copied = copies(s)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources.map((src) => posix.join(c.dest, posix.basename(src))));
      for (const manifest of [...workspaceManifests, 'package.json', 'package-lock.json', '.npmrc'])
        expect(copied, `${s.name} copies ${manifest}`).toContain(manifest);
    }
  });

  it('installs only the production dependencies of the server and the services in the runtime stage', () => {
    const install = runs(runtime).find((r) => r.startsWith('npm ci')) ?? '';
    expect(install).toMatch(/^npm ci --omit=dev\b/);
    const workspaces = [...install.matchAll(/-w (\S+)/g)].map((m) => m[1]);
    expect(workspaces.sort()).toEqual([...runtimeWorkspaces].sort());
    expect(
      runtime.instructions.some(
        (i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args),
      ),
    ).toBe(true);
  });

  it('copies into the runtime stage only what the build produces, and files that exist in the build context', () => {
    for (const c of copies(runtime)) {
      if (c.from === 'build') {
        for (const source of c.sources)
          expect(
            buildOutputs as readonly string[],
            `line ${c.line}: ${source} is written by npm run build`,
          ).toContain(posix.relative('/app', source));
      } else {
        expect(c.from, `line ${c.line}`).toBeUndefined();
        for (const source of c.sources) {
          expect(existsSync(join(repo, source)), `line ${c.line}: ${source} exists`).toBe(true);
          expect(
            ignored(source),
            `line ${c.line}: ${source} is not excluded by the .dockerignore`,
          ).toBe(false);
        }
      }
    }
  });

  it("runs the bundle of what `npm start` runs, as a user that is not root, with a HEALTHCHECK on the service's /readyz", () => {
    const cmd = parseCommand(instructionsOf(runtime, 'CMD').at(-1)?.args ?? '""');
    if (!('exec' in cmd)) throw new Error('CMD is in exec form, so signals reach node');
    expect(cmd.exec[0]).toBe('node');
    const file = (cmd.exec.at(-1) ?? '').replace(/^dist\//, '') as keyof typeof bundles;
    const npmStart = packageJson.scripts.start?.split(' ').at(-1);
    expect(bundles[file], `CMD runs dist/${file}, a bundle of scripts/build.ts`).toBe(npmStart);

    const users = instructionsOf(runtime, 'USER');
    expect(users).toHaveLength(1);
    const user = users[0]?.args.trim();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // Its data folder (the volume) belongs to it; everything else it only reads.
    const userAt = runtime.instructions.indexOf(users[0] as (typeof runtime.instructions)[number]);
    const chowns = runtime.instructions
      .slice(0, userAt)
      .filter((i) => i.keyword === 'RUN' && i.args.includes(`chown ${user}:${user} /app/data`));
    expect(chowns).toHaveLength(1);
    expect(instructionsOf(runtime, 'VOLUME').map((v) => v.args)).toEqual(['["/app/data"]']);

    const check = parseHealthcheck(instructionsOf(runtime, 'HEALTHCHECK')[0]?.args ?? 'none');
    expect(check.options).toMatchObject({
      interval: expect.any(String),
      timeout: expect.any(String),
    });
    if (!('shell' in check.command))
      throw new Error('the HEALTHCHECK reads $PORT, so it is in shell form');
    expect(check.command.shell).toMatch(/^node deploy\/healthcheck\.mjs "\$\{PORT:-8080\}"$/);
    expect(
      copies(runtime).some(
        (c) =>
          c.from === undefined &&
          c.sources.includes('deploy/healthcheck.mjs') &&
          c.dest === 'deploy/',
      ),
    ).toBe(true);
  });

  it('gives the build every source it reads, and leaves out dependencies, old builds and secrets', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const sourceDirs = Object.values(bundles).map((entry) =>
      entry.split('/').slice(0, 2).join('/'),
    );
    const needed = tracked.filter(
      (f) =>
        [
          'packages/',
          'apps/web/',
          'scripts/build.ts',
          'scripts/bundle.mjs',
          ...sourceDirs.map((d) => `${d}/src/`),
        ].some((p) => f.startsWith(p)) &&
        !/\.test\.tsx?$|\/test\/|^packages\/[^/]+\/README/.test(f),
    );
    expect(needed.length).toBeGreaterThan(100);
    for (const file of [...needed, 'tsconfig.base.json', '.npmrc', 'package-lock.json'])
      expect(ignored(file), `${file} reaches the build`).toBe(false);
    for (const path of [
      'node_modules/x',
      'apps/web/node_modules/x',
      'dist/server.mjs',
      'apps/web/dist/index.html',
      'deploy/.env',
      'data/shared/PG_VERSION',
      '.git/HEAD',
      '.cluster/logs/x.log',
    ]) {
      expect(ignored(path), `${path} stays out of the build context`).toBe(true);
    }
  });

  it("is the image compose runs: the services from the runtime stage with a bundle's command, nginx from the web stage", () => {
    type Service = { build?: { target?: string }; command?: string[]; image?: string };
    const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const rchat = Object.entries(compose.services).filter(([, s]) => s.image === 'rchat:latest');
    expect(rchat.map(([k]) => k).sort()).toEqual([
      'chat-1',
      'chat-2',
      'delivery-1',
      'delivery-2',
      'users',
    ]);
    for (const [key, s] of rchat) {
      expect(s.build?.target, key).toBe('runtime');
      const [node, ...args] = s.command ?? [];
      expect(node).toBe('node');
      const file = (args.at(-1) ?? '').replace(/^dist\//, '') as keyof typeof bundles;
      expect(bundles[file], `${key} runs a bundle`).toBe(
        `services/${key.replace(/-\d$/, '')}/src/main.ts`,
      );
    }
    expect(compose.services.nginx?.build?.target).toBe('web');
  });
});
