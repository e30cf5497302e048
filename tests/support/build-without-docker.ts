import { spawnSync } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { basename, join, posix } from 'node:path';
import {
  dockerignore,
  parseCommand,
  parseCopy,
  parseDockerfile,
  parseHealthcheck,
  type Stage,
} from './dockerfile.ts';

/**
 * Replays deploy/Dockerfile without a Docker engine: each stage gets a folder
 * that stands for its file system root, COPY takes files from the build
 * context (filtered by the .dockerignore, as BuildKit does) or from an earlier
 * stage's folder, and RUN runs the npm steps for real. A RUN step this replay
 * cannot follow fails the build, so the Dockerfile cannot grow a step that
 * escapes the test.
 */

export interface BuiltStage {
  name: string;
  from: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  /** The folder standing for its WORKDIR. */
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: ReturnType<typeof parseCommand> | undefined;
  healthcheck: ReturnType<typeof parseHealthcheck> | undefined;
}

export interface BuildOptions {
  dockerfile: string;
  /** The build context (the repository). */
  context: string;
  /** Empty folder that receives one folder per stage. */
  out: string;
  /**
   * Owner given to paths the Dockerfile chowns to the image's user (when this process may chown).
   */
  owner?: { uid: number; gid: number };
  /** Each command run, before it runs. */
  log?: (line: string) => void;
}

export function buildWithoutDocker(options: BuildOptions): BuiltStage[] {
  const stages = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
  const ignored = dockerignore(readFileSync(`${options.dockerfile}.dockerignore`, 'utf8'));
  const built: BuiltStage[] = [];
  for (const stage of stages) built.push(buildStage(stage, built, ignored, options));
  return built;
}

function buildStage(
  stage: Stage,
  earlier: BuiltStage[],
  ignored: (path: string) => boolean,
  options: BuildOptions,
): BuiltStage {
  const root = join(options.out, stage.name);
  mkdirSync(root, { recursive: true });
  const result: BuiltStage = {
    name: stage.name,
    from: stage.from,
    root,
    workdir: root,
    env: {},
    user: undefined,
    cmd: undefined,
    healthcheck: undefined,
  };
  let cwd = '/';
  const inStage = (path: string) => join(root, posix.resolve(cwd, path));
  for (const ins of stage.instructions) {
    switch (ins.keyword) {
      case 'WORKDIR':
        cwd = posix.resolve(cwd, ins.args.trim());
        mkdirSync(inStage('.'), { recursive: true });
        result.workdir = inStage('.');
        break;
      case 'ENV':
        for (const pair of ins.args.split(/\s+/)) {
          const [k, ...v] = pair.split('=');
          if (k) result.env[k] = v.join('=');
        }
        break;
      case 'COPY': {
        const copy = parseCopy(ins.args);
        const dest = inStage(copy.dest);
        const intoFolder = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
        for (const source of copy.sources) {
          if (copy.from === undefined)
            copyFromContext(options.context, source, dest, intoFolder, ignored, ins.line);
          else {
            const from = earlier.find((s) => s.name === copy.from);
            if (!from)
              throw new Error(`line ${ins.line}: COPY --from=${copy.from}: no such earlier stage`);
            const src = join(from.root, posix.resolve('/', source));
            if (!existsSync(src))
              throw new Error(
                `line ${ins.line}: COPY --from=${copy.from} ${source}: stage ${copy.from} has no such path after its build`,
              );
            const target =
              intoFolder && !statSync(src).isDirectory() ? join(dest, basename(src)) : dest;
            cpSync(src, target, { recursive: true });
          }
        }
        break;
      }
      case 'RUN':
        for (const step of ins.args.split('&&').map((s) => s.trim()))
          runStep(step, inStage, result, options, ins.line);
        break;
      case 'USER':
        result.user = ins.args.trim();
        break;
      case 'CMD':
        result.cmd = parseCommand(ins.args);
        break;
      case 'HEALTHCHECK':
        result.healthcheck = parseHealthcheck(ins.args);
        break;
      case 'VOLUME':
      case 'EXPOSE':
      case 'LABEL':
        break;
      default:
        throw new Error(`line ${ins.line}: the Docker-less build does not know ${ins.keyword}`);
    }
  }
  return result;
}

/**
 * COPY from the build context: what the .dockerignore excludes is not there (a named source that is
 * excluded fails, as in Docker).
 */
function copyFromContext(
  context: string,
  source: string,
  dest: string,
  intoFolder: boolean,
  ignored: (path: string) => boolean,
  line: number,
): void {
  const normal = posix.normalize(source).replace(/\/$/, '');
  const rel = normal === '.' ? '' : normal.replace(/^\.\//, '');
  if (rel !== '' && (ignored(rel) || !existsSync(join(context, rel))))
    throw new Error(
      `line ${line}: COPY ${source}: not in the build context${ignored(rel) ? ' (excluded by the .dockerignore)' : ''}`,
    );
  const src = join(context, rel);
  if (!statSync(src).isDirectory()) {
    const target = intoFolder ? join(dest, basename(src)) : dest;
    mkdirSync(intoFolder ? dest : join(dest, '..'), { recursive: true });
    cpSync(src, target);
    return;
  }
  const walk = (relDir: string) => {
    for (const name of readdirSync(join(context, relDir))) {
      const path = relDir ? `${relDir}/${name}` : name;
      if (ignored(path)) continue;
      const full = join(context, path);
      const relToSource = rel ? path.slice(rel.length + 1) : path;
      if (statSync(full).isDirectory()) walk(path);
      else {
        mkdirSync(join(dest, relToSource, '..'), { recursive: true });
        cpSync(full, join(dest, relToSource));
      }
    }
  };
  walk(rel);
}

function runStep(
  step: string,
  inStage: (path: string) => string,
  stage: BuiltStage,
  options: BuildOptions,
  line: number,
): void {
  if (/^npm cache clean\b/.test(step)) return; // never the machine's cache
  if (/^npm (ci|run) /.test(step)) {
    // npm ci may take packages from the machine's cache (the registry answers for the rest).
    const args = step
      .split(/\s+/)
      .slice(1)
      .concat(step.startsWith('npm ci') ? ['--prefer-offline'] : []);
    options.log?.(`[${stage.name}] ${step}`);
    const run = spawnSync('npm', args, {
      cwd: stage.workdir,
      env: { ...process.env, ...stage.env, NODE_ENV: stage.env.NODE_ENV ?? '' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0)
      throw new Error(
        `line ${line}: ${step} failed (${run.status ?? run.signal}):\n${`${run.stdout}\n${run.stderr}`.trim().slice(-3_000)}`,
      );
    return;
  }
  const mkdir = /^mkdir -p (.+)$/.exec(step);
  if (mkdir) {
    for (const path of (mkdir[1] as string).split(/\s+/))
      mkdirSync(inStage(path), { recursive: true });
    return;
  }
  const chown = /^chown (\S+) (.+)$/.exec(step);
  if (chown) {
    if (options.owner)
      for (const path of (chown[2] as string).split(/\s+/))
        chownSync(inStage(path), options.owner.uid, options.owner.gid);
    return;
  }
  throw new Error(`line ${line}: the Docker-less build cannot follow RUN ${step}`);
}

export const stageNamed = (stages: BuiltStage[], name: string): BuiltStage => {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`deploy/Dockerfile has no stage ${name}`);
  return stage;
};
