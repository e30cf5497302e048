import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { now, sleep } from '../lib/clock.ts';
import { HttpClient } from '../lib/http-client.ts';
import { ErrorLog } from '../lib/node-server.ts';
import { binaryPayload, binaryPayloadId } from '../lib/payload.ts';
import { descendants, pidListeningOn, rssKiB, run, spawnServer, stopGroup, type Managed } from '../lib/proc.ts';
import { openEventStream } from '../lib/sse-client.ts';
import { repoRoot } from '../lib/versions.ts';
import type { ConnectOptions, Endpoint, SystemDriver, SystemInfo } from './types.ts';

const PASSWORD = 'bench-password-0123';

/**
 * Benchmark-fair settings for a harness-started platform, like the peers'
 * raised shapers and registration limits: per-client rate limits off the
 * path (the suite registers and sends from one loopback address).
 */
const BENCH_ENV = {
  NODE_ENV: 'production',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_SEND_PER_MINUTE: '100000000',
};

interface AuthResponse {
  user: { id: string; username: string };
  deviceId: string;
  accessToken: string;
}

interface InboxEvent {
  type?: string;
  message?: { ciphertext?: string; txnId?: string };
}

interface Account {
  id: string;
  /** Access token per device index. */
  tokens: Map<number, string>;
}

export interface RchatOptions {
  /** Origin of a running platform; when nothing answers there the driver starts one (`npm start`). */
  url: string;
  /** Start the platform even when something answers at `url` (on `startPort`). */
  forceStart: boolean;
  startPort: number;
}

/** rchat itself, through its public HTTP API (register/login, conversations, messages, SSE inbox). */
export class RchatDriver implements SystemDriver {
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
  private readonly errors = new ErrorLog();
  private readonly accounts = new Map<string, Account>();
  private readonly conversations = new Map<string, Promise<string>>();
  private readonly runTag = Date.now().toString(36).slice(-5);
  private origin: string;
  private server: Managed | undefined;
  private dataDir: string | undefined;
  private admin: HttpClient | undefined;
  private txn = 0;

  constructor(private readonly options: RchatOptions) {
    this.origin = options.url;
  }

  private async ready(origin: string): Promise<boolean> {
    const client = new HttpClient(origin, { maxSockets: 1 });
    try {
      return (await client.request('GET', '/readyz')).status === 200;
    } catch {
      return false;
    } finally {
      await client.close(0);
    }
  }

  async start(): Promise<void> {
    if (!this.options.forceStart && (await this.ready(this.origin))) {
      this.info.settings.mode = `attached to ${this.origin}`;
    } else {
      await this.spawnPlatform();
    }
    this.admin = new HttpClient(this.origin, { maxSockets: 16 });
    this.info.version = `rchat (git ${await gitHead()})`;
  }

  private async spawnPlatform(): Promise<void> {
    const origin = `http://127.0.0.1:${this.options.startPort}`;
    this.dataDir = mkdtempSync(join(tmpdir(), 'rchat-bench-data-'));
    const t = now();
    this.server = spawnServer('npm', ['start', '--silent'], { ...process.env, ...BENCH_ENV, PORT: String(this.options.startPort), DATA_DIR: this.dataDir }, repoRoot);
    for (const [k, v] of Object.entries(BENCH_ENV)) this.info.settings[k] = v;
    const child = this.server.child;
    const deadline = t + 60_000;
    while (now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await this.ready(origin)) {
        this.origin = origin;
        this.info.settings.mode = 'started by the harness (npm start, fresh DATA_DIR)';
        this.info.settings.coldStartMs = Math.round(now() - t);
        return;
      }
      await sleep(200);
    }
    const tail = this.server.tail();
    await this.stop();
    throw new Error(
      `rchat platform not reachable: nothing ready at ${this.options.url}/readyz, and \`npm start\` (PORT=${this.options.startPort}) did not become ready within 60 s. ` +
        `Start it yourself and pass --rchat-url, or fix the server. Output:\n${tail.slice(-1500)}`,
    );
  }

  async stop(): Promise<void> {
    await this.admin?.close();
    this.admin = undefined;
    if (this.server !== undefined) await stopGroup(this.server.child, 10_000);
    this.server = undefined;
    if (this.dataDir !== undefined) rmSync(this.dataDir, { recursive: true, force: true });
    this.dataDir = undefined;
  }

  private client(): HttpClient {
    if (this.admin === undefined) throw new Error('rchat driver not started');
    return this.admin;
  }

  /** Registers `<prefix><i>` (namespaced per run, so a persistent data dir is fine). */
  async users(prefix: string, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `b${this.runTag}${prefix}${i}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').slice(0, 32));
    const todo = names.filter((n) => !this.accounts.has(n));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const username = todo[next++] as string;
        const body = { username, password: PASSWORD, device: { name: 'bench-d0' } };
        const auth = await this.authCall('/auth/register', body, 201);
        this.accounts.set(username, { id: auth.user.id, tokens: new Map([[0, auth.accessToken]]) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, todo.length) }, worker));
    return names;
  }

  /** POST to an auth route; on 429 waits Retry-After (an attached platform keeps its limits), bounded to 2 min. */
  private async authCall(path: string, body: unknown, expect: number): Promise<AuthResponse> {
    const deadline = now() + 120_000;
    for (;;) {
      const res = await this.client().request('POST', path, body);
      if (res.status === expect) return JSON.parse(res.text) as AuthResponse;
      if (res.status !== 429 || now() > deadline) throw new Error(`POST ${path} -> HTTP ${res.status}: ${res.text.slice(0, 300)}`);
      this.info.settings.rateLimited = 'auth requests hit 429 and were retried';
      await sleep(1000);
    }
  }

  private account(user: string): Account {
    const account = this.accounts.get(user);
    if (account === undefined) throw new Error(`rchat: unknown bench user ${user}`);
    return account;
  }

  private async token(user: string, device: number): Promise<string> {
    const account = this.account(user);
    const existing = account.tokens.get(device);
    if (existing !== undefined) return existing;
    const auth = await this.authCall('/auth/login', { username: user, password: PASSWORD, device: { name: `bench-d${device}` } }, 200);
    account.tokens.set(device, auth.accessToken);
    return auth.accessToken;
  }

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const token = await this.token(user, options.listenOnly === true ? 0 : options.device);
    const auth = { authorization: `Bearer ${token}` };
    const own = `${user}_d`;
    const stream = await openEventStream(`${this.origin}/events`, {
      headers: auth,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      onEvent: (event) => {
        if (event.event !== 'message') return;
        const parsed = JSON.parse(event.data) as InboxEvent;
        const message = parsed.message;
        // Skip this user's own sends echoed to its devices: only deliveries from others count.
        if (message?.ciphertext === undefined || message.txnId?.startsWith(own) === true) return;
        options.onDelivery(binaryPayloadId(Buffer.from(message.ciphertext, 'base64')), now());
      },
      onError: (e) => this.errors.add(e),
    });
    const http = new HttpClient(this.origin, { maxSockets: 8, ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}) });
    const conversation = (to: string): Promise<string> => {
      const key = `${user}\u0000${to}`;
      let id = this.conversations.get(key);
      if (id === undefined) {
        id = http.json<{ id: string }>('POST', '/conversations', { peer: this.account(to).id }, [200, 201], auth).then((c) => c.id);
        this.conversations.set(key, id);
      }
      return id;
    };
    return {
      user,
      prepare: async (to) => {
        await conversation(to);
      },
      send: (to, id, size) => {
        const body = { txnId: `${user}_d${options.device}_${(this.txn += 1)}`, ciphertext: binaryPayload(id, size).toString('base64') };
        const post = (cid: string): Promise<unknown> => http.json('POST', `/conversations/${encodeURIComponent(cid)}/messages`, body, [200, 201], auth);
        conversation(to)
          // A keep-alive socket the server just closed fails with a reset: the txnId makes one retry safe.
          .then((cid) => post(cid).catch((e: unknown) => (/hang up|ECONNRESET/.test((e as Error).message) ? post(cid) : Promise.reject(e))))
          .catch((e: unknown) => this.errors.add(e));
      },
      close: async () => {
        await http.close();
        stream.close();
      },
    };
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

  takeErrors(): string[] {
    return this.errors.take();
  }
}

async function gitHead(): Promise<string> {
  return (await run('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']).catch(() => '?')).trim();
}
