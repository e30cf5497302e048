import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabases,
  dropDatabases,
  freePorts,
  repoRoot,
} from '../../scripts/cluster/cluster.ts';
import {
  buildWithoutDocker,
  stageNamed,
  type BuiltStage,
} from '../support/build-without-docker.ts';

/**
 * deploy/Dockerfile replayed without Docker (no engine on CI machines): the
 * build stage from a clean copy of the build context (through the
 * .dockerignore) with `npm ci` and `npm run build`, the runtime stage with
 * only production dependencies and the built output, then the image's CMD,
 * HEALTHCHECK and compose's service commands run from the runtime stage's
 * folder, as an unprivileged user when this runs as root.
 */

const postgresUrl =
  process.env.RCHAT_CLUSTER_POSTGRES ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.RCHAT_CLUSTER_NATS ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const databases = {
  users: `rchat_image_${randomBytes(4).toString('hex')}_users`,
  chat: `rchat_image_${randomBytes(4).toString('hex')}_chat`,
};
const asRoot = process.getuid?.() === 0;
// The image runs as `node`; here, when root, as `nobody`, so nothing may need to write outside the
// data folder.
const owner = asRoot ? { uid: 65534, gid: 65534 } : undefined;

let out: string;
let stages: BuiltStage[];
let runtime: BuiltStage;
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
}

/**
 * Runs a command of the image in the runtime stage's WORKDIR, with the image's environment plus
 * `env`.
 */
function runInImage(command: string[], env: Record<string, string>): Started {
  const [bin = '', ...args] = command;
  const program = bin === 'node' ? process.execPath : bin;
  const argv = owner
    ? [
        'setpriv',
        `--reuid=${owner.uid}`,
        `--regid=${owner.gid}`,
        '--clear-groups',
        program,
        ...args,
      ]
    : [program, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: runtime.workdir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/nonexistent',
      ...runtime.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** The HEALTHCHECK (or compose's check) as Docker runs it: exit 0 means healthy. */
function healthcheck(
  command: { exec: string[] } | { shell: string },
  env: Record<string, string>,
): { status: number | null; output: string } {
  const argv =
    'exec' in command
      ? command.exec.map((a) => (a === 'node' ? process.execPath : a))
      : ['/bin/sh', '-c', command.shell.replace(/^node\b/, process.execPath)];
  const run = spawnSync(argv[0] as string, argv.slice(1), {
    cwd: runtime.workdir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...runtime.env, ...env },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function waitReady(url: string, started: Started, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(
        `exited (${started.child.exitCode}) before it was ready:\n${started.output().slice(-3_000)}`,
      );
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`not ready within ${timeoutMs} ms:\n${started.output().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((r) => started.child.once('exit', r));
  started.child.kill('SIGTERM');
  await exited;
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rchat-image-'));
  chmodSync(out, 0o755);
  stages = buildWithoutDocker({
    dockerfile: join(repoRoot, 'deploy/Dockerfile'),
    context: repoRoot,
    out,
    ...(owner ? { owner } : {}),
    log: (line) => console.log(line),
  });
  runtime = stages.at(-1) as BuiltStage;
}, 600_000);

afterAll(async () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await dropDatabases(postgresUrl, [databases.users, databases.chat]).catch(() => undefined);
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('deploy/Dockerfile, built without Docker', () => {
  it('leaves the runtime stage with the built output and the production dependencies only', () => {
    expect(runtime.name).toBe('runtime');
    expect(existsSync(join(runtime.workdir, 'dist/server.mjs'))).toBe(true);
    expect(existsSync(join(runtime.workdir, 'apps/web/dist/index.html'))).toBe(true);
    const modules = join(runtime.workdir, 'node_modules');
    // What the bundles load at run time, including the WebAssembly database and the native password
    // hasher for this platform.
    for (const dep of ['@electric-sql/pglite', '@node-rs/argon2', 'fastify', 'pg', 'nats'])
      expect(existsSync(join(modules, dep)), dep).toBe(true);
    expect(
      readdirSync(join(modules, '@node-rs')).some((d) =>
        d.startsWith(`argon2-${process.platform}-${process.arch}`),
      ),
      'the argon2 binary for this platform',
    ).toBe(true);
    for (const dev of ['tsx', 'esbuild', 'vite', 'typescript', 'vitest', 'react', 'eslint'])
      expect(existsSync(join(modules, dev)), `${dev} is not in the runtime`).toBe(false);
    // No TypeScript sources: the bundles are the code.
    expect(existsSync(join(runtime.workdir, 'services/users/src'))).toBe(false);
    expect(existsSync(join(runtime.workdir, 'packages/server-kit/src'))).toBe(false);
  });

  it("serves the web client and the API from the image's CMD as a user that is not root, and its HEALTHCHECK follows /readyz", async () => {
    expect(runtime.user).toBe('node');
    const cmd = runtime.cmd;
    if (!cmd || !('exec' in cmd)) throw new Error('the runtime stage needs an exec-form CMD');
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}`;
    const server = runInImage(cmd.exec, {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await waitReady(url, server);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1] ?? 'no script in index.html';
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    await asset.arrayBuffer();
    // A client route is the page too; the API answers beside it.
    expect((await fetch(`${url}/login`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/.well-known/rchat`)).json()).toMatchObject({
      registration: 'open',
    });
    // PGlite's data went to the image's data folder (a volume), the only place the user may write.
    expect(existsSync(join(runtime.workdir, 'data/shared/PG_VERSION'))).toBe(true);

    const check = runtime.healthcheck;
    if (!check) throw new Error('the runtime stage has no HEALTHCHECK');
    expect(healthcheck(check.command, { PORT: String(port) })).toMatchObject({ status: 0 });
    await stop(server);
    expect(healthcheck(check.command, { PORT: String(port) }).status).toBe(1);
  });

  it("runs each of compose.yaml's services from the same image on PostgreSQL and NATS, healthy by compose's check", async () => {
    const compose = parseYaml(readFileSync(join(repoRoot, 'deploy/compose.yaml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, { command: string[]; healthcheck: { test: string[] } }> };
    await createDatabases(postgresUrl, [databases.users, databases.chat]);
    const db = (name: string) =>
      Object.assign(new URL(postgresUrl), { pathname: `/${name}` }).toString();
    const [usersPort, chatPort, deliveryPort] = (await freePorts(3)) as [number, number, number];
    const internalToken = randomBytes(24).toString('hex');
    const common = { HOST: '127.0.0.1', NATS_URL: natsUrl, LOG_LEVEL: 'info' };
    const envs: Record<string, Record<string, string>> = {
      users: { ...common, PORT: String(usersPort), DATABASE_URL: db(databases.users) },
      'chat-1': {
        ...common,
        PORT: String(chatPort),
        DATABASE_URL: db(databases.chat),
        USERS_URL: `http://127.0.0.1:${usersPort}`,
        INTERNAL_TOKEN: internalToken,
      },
      'delivery-1': {
        ...common,
        PORT: String(deliveryPort),
        USERS_URL: `http://127.0.0.1:${usersPort}`,
        CHAT_URL: `http://127.0.0.1:${chatPort}`,
        INTERNAL_TOKEN: internalToken,
      },
    };
    for (const [key, env] of Object.entries(envs)) {
      const service = compose.services[key];
      if (!service) throw new Error(`compose.yaml has no service ${key}`);
      const started = runInImage(service.command, env);
      await waitReady(`http://127.0.0.1:${env.PORT}`, started);
      const [form, ...test] = service.healthcheck.test;
      expect(form).toBe('CMD');
      expect(healthcheck({ exec: test }, env), `${key} is healthy`).toMatchObject({ status: 0 });
    }
    const wellKnown = await fetch(`http://127.0.0.1:${usersPort}/.well-known/rchat`);
    expect(wellKnown.status).toBe(200);
  });

  it('bakes the web client into the nginx stage at the root nginx.conf serves', () => {
    const web = stageNamed(stages, 'web');
    expect(web.from).toMatch(/^nginx:/);
    const root =
      /^\s*root\s+(\S+);/m.exec(readFileSync(join(repoRoot, 'deploy/nginx.conf'), 'utf8'))?.[1] ??
      'no root';
    expect(readFileSync(join(web.root, root, 'index.html'), 'utf8')).toContain('<div id="root">');
  });
});
