import { now, sleep } from '../lib/clock.ts';
import { HttpClient } from '../lib/http-client.ts';
import { ErrorLog } from '../lib/node-server.ts';
import { binaryPayload, binaryPayloadId } from '../lib/payload.ts';
import { openEventStream } from '../lib/sse-client.ts';
import type { ColdStartSample, ConnectOptions, Endpoint } from './types.ts';

export const BENCH_PASSWORD = 'bench-password-0123';

/**
 * Where each part of the rchat API answers: one origin for `npm start`, one per service when scaled
 * out.
 */
export interface RchatRoutes {
  /** `/auth/*` (users service). */
  users: string;
  /** `/conversations/*` (chat service). */
  chat: string;
  /** `/events` for a device index (delivery service). */
  events: (device: number) => string;
}

export const singleOrigin = (origin: string): RchatRoutes => ({
  users: origin,
  chat: origin,
  events: () => origin,
});

export interface AuthResponse {
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

/** The client side of the rchat drivers: accounts, device tokens, conversations, SSE streams. */
export class RchatClient {
  private readonly errors = new ErrorLog();
  private readonly accounts = new Map<string, Account>();
  private readonly conversations = new Map<string, Promise<string>>();
  private readonly runTag = Date.now().toString(36).slice(-5);
  private readonly auth: HttpClient;
  private txn = 0;
  /** Set when an auth request hit 429 and was retried (an attached platform keeps its limits). */
  rateLimited = false;

  constructor(readonly routes: RchatRoutes) {
    this.auth = new HttpClient(routes.users, { maxSockets: 16 });
  }

  async close(): Promise<void> {
    await this.auth.close();
  }

  /** Registers `<prefix><i>` (namespaced per run, so a persistent data dir is fine). */
  async users(prefix: string, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) =>
      `b${this.runTag}${prefix}${i}`
        .toLowerCase()
        .replace(/[^a-z0-9_.-]/g, '_')
        .slice(0, 32),
    );
    const todo = names.filter((n) => !this.accounts.has(n));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const username = todo[next++] as string;
        const body = { username, password: BENCH_PASSWORD, device: { name: 'bench-d0' } };
        const auth = await this.authCall('/auth/register', body, 201);
        this.accounts.set(username, { id: auth.user.id, tokens: new Map([[0, auth.accessToken]]) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, todo.length) }, worker));
    return names;
  }

  /** POST to an auth route; on 429 waits and retries, bounded to 2 min. */
  async authCall(path: string, body: unknown, expect: number): Promise<AuthResponse> {
    const deadline = now() + 120_000;
    for (;;) {
      const res = await this.auth.request('POST', path, body);
      if (res.status === expect) return JSON.parse(res.text) as AuthResponse;
      if (res.status !== 429 || now() > deadline)
        throw new Error(`POST ${path} -> HTTP ${res.status}: ${res.text.slice(0, 300)}`);
      this.rateLimited = true;
      await sleep(1000);
    }
  }

  userId(user: string): string {
    return this.account(user).id;
  }

  private account(user: string): Account {
    const account = this.accounts.get(user);
    if (account === undefined) throw new Error(`rchat: unknown bench user ${user}`);
    return account;
  }

  /** The access token of a device of `user` (device 0 from registration; others log in once). */
  async token(user: string, device: number): Promise<string> {
    const account = this.account(user);
    const existing = account.tokens.get(device);
    if (existing !== undefined) return existing;
    const auth = await this.authCall(
      '/auth/login',
      { username: user, password: BENCH_PASSWORD, device: { name: `bench-d${device}` } },
      200,
    );
    account.tokens.set(device, auth.accessToken);
    return auth.accessToken;
  }

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const token = await this.token(user, options.listenOnly === true ? 0 : options.device);
    const auth = { authorization: `Bearer ${token}` };
    const own = `${user}_d`;
    const local = options.localAddress !== undefined ? { localAddress: options.localAddress } : {};
    const stream = await openEventStream(`${this.routes.events(options.device)}/events`, {
      headers: auth,
      ...local,
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
    const http = new HttpClient(this.routes.chat, { maxSockets: 8, ...local });
    const conversation = (to: string): Promise<string> => {
      const key = `${user}\u0000${to}`;
      let id = this.conversations.get(key);
      if (id === undefined) {
        id = http
          .json<{ id: string }>(
            'POST',
            '/conversations',
            { peer: this.account(to).id },
            [200, 201],
            auth,
          )
          .then((c) => c.id);
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
        const body = {
          txnId: `${user}_d${options.device}_${(this.txn += 1)}`,
          ciphertext: binaryPayload(id, size).toString('base64'),
        };
        const post = (cid: string): Promise<unknown> =>
          http.json(
            'POST',
            `/conversations/${encodeURIComponent(cid)}/messages`,
            body,
            [200, 201],
            auth,
          );
        conversation(to)
          // A keep-alive socket the server just closed fails with a reset: the txnId makes one
          // retry safe.
          .then((cid) =>
            post(cid).catch((e: unknown) =>
              /hang up|ECONNRESET/.test((e as Error).message) ? post(cid) : Promise.reject(e),
            ),
          )
          .catch((e: unknown) => this.errors.add(e));
      },
      close: async () => {
        await http.close();
        stream.close();
      },
    };
  }

  takeErrors(): string[] {
    return this.errors.take();
  }
}

/**
 * What both rchat drivers share: the API client they open once the platform is up, and the starts
 * they timed.
 */
export abstract class RchatApiDriver {
  protected rchat: RchatClient | undefined;
  protected readonly starts: ColdStartSample[] = [];

  /** The client side (accounts, tokens), for scenarios that call the API directly. */
  client(): RchatClient {
    if (this.rchat === undefined) throw new Error('rchat driver not started');
    return this.rchat;
  }

  /** Closes the client; notes in `settings` when auth requests were rate-limited. */
  protected async closeClient(settings: Record<string, string | number | boolean>): Promise<void> {
    if (this.rchat?.rateLimited === true)
      settings.rateLimited = 'auth requests hit 429 and were retried';
    await this.rchat?.close();
    this.rchat = undefined;
  }

  users(prefix: string, count: number): Promise<string[]> {
    return this.client().users(prefix, count);
  }

  connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    return this.client().connect(user, options);
  }

  takeErrors(): string[] {
    return this.rchat?.takeErrors() ?? [];
  }

  coldStarts(): ColdStartSample[] {
    return this.starts;
  }
}
