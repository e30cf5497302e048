import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's defaults plus a smaller buffer pool. Postgres touches all of
 * shared_buffers when it starts, and WebAssembly memory never shrinks: at the
 * default 128MB an idle instance holds ~300 MiB, at 16MB ~170 MiB. The files
 * stay in the operating system's page cache, so reads past the pool cost a
 * system call, not a disk read. Durability is PGlite's own (it runs with
 * fsync off; a committed transaction survives a process crash, not a power cut).
 */
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Opens an in-memory PGlite (`dir` undefined) or the one stored in `dir`, creating it there if it
 * is new.
 */
export async function openPglite(dir: string | undefined): Promise<PGlite> {
  if (dir === undefined) return PGlite.create({ startParams });
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'PG_VERSION'))) await createDataFolder(dir);
  return PGlite.create(dir, { startParams });
}

const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
const pgliteDir = join(dirname(pglitePath), '..');

/**
 * A new database folder is a copy of the one initdb made the first time on
 * this machine (kept, per PGlite version, under node_modules/.cache): initdb
 * takes seconds, a copy of its ~40 MB result a fraction of one. Where the cache
 * cannot be written, every new folder runs initdb.
 */
async function createDataFolder(dir: string): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(pgliteDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const template = join(pgliteDir, '../../.cache/rchat', `pglite-${version}-initdb`);
  if (existsSync(join(template, 'PG_VERSION'))) {
    cpSync(template, dir, { recursive: true });
    return;
  }
  await initdbInChildProcess(dir);
  try {
    // Copied aside and renamed, so a process starting at the same time never copies half a
    // template.
    const aside = `${template}.${process.pid}`;
    mkdirSync(dirname(template), { recursive: true });
    cpSync(dir, aside, { recursive: true });
    renameSync(aside, template);
  } catch {
    rmSync(`${template}.${process.pid}`, { recursive: true, force: true });
  }
}

// A new data folder is made by initdb, which grows its WebAssembly memory to
// ~400 MiB that a process keeps for good (and leaves ~100 MiB more behind even
// in a worker thread). So a short-lived child process makes it, and the server
// then opens the finished folder.
const initdbScript = `
const [pglite, dir, startParams] = process.argv.slice(1);
require(pglite).PGlite.create(dir, { startParams: JSON.parse(startParams) }).then((db) => db.close());
`;

async function initdbInChildProcess(dir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', initdbScript, pglitePath, dir, JSON.stringify(startParams)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new Error(
      `creating the PGlite database in ${dir} failed: ${stderr.trim() || `exit code ${code}`}`,
    );
}
