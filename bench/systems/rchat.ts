import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, pidListeningOn, rssKiB, run, stopGroup, type Managed } from '../lib/proc.ts';
import { COLD_START, isReady, startUntilReady } from '../lib/service-process.ts';
import { repoRoot } from '../lib/versions.ts';
import { RchatApiDriver, RchatClient, singleOrigin } from './rchat-client.ts';
import type { SystemDriver, SystemInfo } from './types.ts';

/**
 * Benchmark-fair settings for a harness-started platform, like the peers'
 * raised shapers and registration limits: per-client rate limits off the
 * path (the suite registers and sends from one loopback address).
 */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_SEND_PER_MINUTE: '100000000',
};

export interface RchatOptions {
  /**
   * Origin of a running platform; when nothing answers there the driver starts one (`npm start`).
   */
  url: string;
  /** Start the platform even when something answers at `url` (on `startPort`). */
  forceStart: boolean;
  startPort: number;
}

/** rchat as `npm start` runs it (embedded PGlite, in-process bus), through its public HTTP API. */
export class RchatDriver extends RchatApiDriver implements SystemDriver {
  readonly info: SystemInfo = {
    id: 'rchat',
    label: 'rchat',
    kind: 'rchat',
    version: '?',
    persisted: true,
    delivery: 'push',
    settings: { api: 'HTTP POST + SSE /events', tls: false },
  };
  readonly supports = { fanout: true, idle: true };
  private origin: string;
  private server: Managed | undefined;
  private dataDir: string | undefined;
  /** Environment of the platform the driver started (the current one when attached). */
  platformEnv: NodeJS.ProcessEnv = process.env;
  /** True when the driver uses a platform it did not start. */
  attached = false;

  constructor(private readonly options: RchatOptions) {
    super();
    this.origin = options.url;
  }

  async start(): Promise<void> {
    if (!this.options.forceStart && (await isReady(this.origin))) {
      this.info.settings.mode = `attached to ${this.origin}`;
      this.attached = true;
    } else {
      await this.spawnPlatform();
    }
    this.rchat = new RchatClient(singleOrigin(this.origin));
    this.info.version = `rchat (git ${await gitHead()})`;
  }

  private async spawnPlatform(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'rchat-bench-data-'));
    this.platformEnv = { ...process.env, ...BENCH_ENV, DATA_DIR: this.dataDir };
    for (const [k, v] of Object.entries(BENCH_ENV)) this.info.settings[k] = v;
    // `--ignore-scripts` leaves out prestart (rebuilding the web client when its sources changed):
    // the suite uses the API only, and scenario 8 times a full `npm start`.
    const started = await startUntilReady(
      'npm start',
      'npm',
      ['start', '--silent', '--ignore-scripts'],
      this.platformEnv,
      this.options.startPort,
    ).catch(async (e: unknown) => {
      await this.stop();
      throw new Error(
        `rchat platform not reachable: nothing ready at ${this.options.url}/readyz, and \`npm start\` (PORT=${this.options.startPort}) did not start: ${(e as Error).message}\n` +
          'Start it yourself and pass --rchat-url, or fix the server.',
      );
    });
    this.server = started.managed;
    this.origin = started.origin;
    this.info.settings.mode = 'started by the harness (npm start without prestart, fresh DATA_DIR)';
    this.info.settings.coldStartMs = Math.round(started.readyMs);
    this.starts.push({ variant: COLD_START.npmNoPrestart, readyMs: started.readyMs });
  }

  async stop(): Promise<void> {
    await this.closeClient(this.info.settings);
    if (this.server !== undefined) await stopGroup(this.server.child, 10_000);
    this.server = undefined;
    if (this.dataDir !== undefined) rmSync(this.dataDir, { recursive: true, force: true });
    this.dataDir = undefined;
  }

  serverPids(): number[] {
    const spawned = this.server?.child.pid;
    if (spawned !== undefined) {
      // npm → sh → tsx CLI → node server: the platform is the largest process (plus any children
      // of its own); the small wrapper processes are not counted.
      const tree = [spawned, ...descendants(spawned)];
      const main = tree.reduce((a, b) => (rssKiB(b) > rssKiB(a) ? b : a));
      return [main, ...descendants(main)];
    }
    const pid = pidListeningOn(Number(new URL(this.origin).port || 80));
    return pid === undefined ? [] : [pid];
  }
}

export async function gitHead(): Promise<string> {
  return (
    await run('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']).catch(() => '?')
  ).trim();
}
