import {
  errorBodySchema,
  queryString,
  splitRouteKey,
  type CommitRequest,
  type LoginRequest,
  type RegisterRequest,
  type ResetIdentityRequest,
  type SendMessageRequest,
  type SessionResponse,
  type UploadKeyPackagesRequest,
} from '@rchat/protocol';
import {
  badResponse,
  errorFromAnswer,
  networkError,
  parseJson,
  timeoutError,
} from './answer-errors.ts';
import { RchatError } from './errors.ts';
import { EventStream, type EventStreamOptions } from './event-stream.ts';
import {
  pathOf,
  responseSchemaOf,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  type RouteKey,
} from './route-responses.ts';

/** How long a request may take, answer included, unless the options say otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface RchatApiOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Called whenever tokens change (login, refresh), so a client can persist them. */
  onSession?: (session: SessionResponse | null) => void;
  session?: SessionResponse;
  /**
   * A request (its answer read in full) that takes longer fails with `TIMEOUT`; default 30 s. The
   * event stream has its own.
   */
  requestTimeoutMs?: number;
}

/** One request's parts, typed from its route's spec in the route table. */
interface Call<K extends RouteKey> {
  params?: ParamsOf<K>;
  query?: QueryOf<K>;
  body?: BodyOf<K>;
  /** Send the access token (default); refresh it first when it is about to expire. */
  auth?: boolean;
  /** Ends the request early (it then fails with NETWORK). */
  signal?: AbortSignal;
}

/** Typed HTTP client of the rchat API, with automatic access-token refresh. */
export class RchatApi {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private sessionState: SessionResponse | null;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly options: RchatApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.sessionState = options.session ?? null;
  }

  get session(): SessionResponse | null {
    return this.sessionState;
  }

  async register(body: RegisterRequest): Promise<SessionResponse> {
    return this.setSession(await this.request('POST /auth/register', { body, auth: false }));
  }

  async login(body: LoginRequest): Promise<SessionResponse> {
    return this.setSession(await this.request('POST /auth/login', { body, auth: false }));
  }

  async logout(): Promise<void> {
    const s = this.sessionState;
    if (s)
      await this.request('POST /auth/logout', {
        body: { refreshToken: s.refreshToken },
        auth: false,
      });
    this.setSession(null);
  }

  /** Rotates the refresh token; concurrent callers share one refresh. */
  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const s = this.sessionState;
      if (!s) throw new RchatError('UNAUTHENTICATED', 'Not signed in.', 0);
      try {
        this.setSession(
          await this.request('POST /auth/refresh', {
            body: { refreshToken: s.refreshToken },
            auth: false,
          }),
        );
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /**
   * Resolves when no token refresh is under way (a refresh that was, has handed its tokens to
   * `onSession`).
   */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  wellKnown = () => this.request('GET /.well-known/rchat', { auth: false });
  searchUsers = (query: string, opts: { limit?: number; after?: string } = {}) =>
    this.request('GET /users', { query: { query, limit: opts.limit, after: opts.after } });
  getUser = (id: string) => this.request('GET /users/:id', { params: { id } });
  changePassword = (currentPassword: string, newPassword: string) =>
    this.request('PUT /auth/password', { body: { currentPassword, newPassword } });
  signOutOtherDevices = () => this.request('POST /auth/sign-out-others', { body: {} });
  deleteAccount = (password: string) =>
    this.request('POST /auth/delete-account', { body: { password } });
  removeDevice = (id: string) => this.request('DELETE /devices/:id', { params: { id } });
  devices = async () => (await this.request('GET /devices')).devices;
  createConversation = (peer: string) => this.request('POST /conversations', { body: { peer } });
  conversations = async () => (await this.request('GET /conversations')).conversations;
  conversation = (id: string) => this.request('GET /conversations/:id', { params: { id } });
  /**
   * `signal` ends a request that takes too long (it then fails with NETWORK; a resend under the
   * same txnId is safe).
   */
  sendMessage = (id: string, body: SendMessageRequest, options: { signal?: AbortSignal } = {}) =>
    this.request('POST /conversations/:id/messages', { params: { id }, body, ...options });
  history = (id: string, opts: { before?: number; limit?: number } = {}) =>
    this.request('GET /conversations/:id/messages', { params: { id }, query: opts });
  markRead = (id: string, seq: number) =>
    this.request('POST /conversations/:id/read', { params: { id }, body: { seq } });
  inbox = (after: number, limit?: number) =>
    this.request('GET /inbox', { query: { after, limit } });

  setIdentityKey = (identityKey: string) =>
    this.request('PUT /keys/identity', { body: { identityKey } });
  resetIdentity = (body: ResetIdentityRequest) =>
    this.request('POST /keys/identity/reset', { body });
  loginChallenge = () => this.request('POST /auth/challenge', { auth: false });
  setDeviceCertificate = (certificate: string) =>
    this.request('PUT /devices/current/certificate', { body: { certificate } });
  uploadKeyPackages = (body: UploadKeyPackagesRequest) =>
    this.request('POST /devices/current/key-packages', { body });
  keyPackageCount = () => this.request('GET /devices/current/key-packages/count');
  userKeys = (id: string) => this.request('GET /users/:id/keys', { params: { id } });
  claimKeyPackages = (id: string, exceptDeviceIds?: string[]) =>
    this.request('POST /users/:id/key-packages/claim', {
      params: { id },
      body: exceptDeviceIds ? { exceptDeviceIds } : {},
    });
  openLinkSession = () => this.request('POST /link/sessions', { body: {} });
  linkSessions = () => this.request('GET /link/sessions');
  requestJoin = (id: string) =>
    this.request('POST /conversations/:id/join-requests', { params: { id }, body: {} });
  postLinkMessage = (id: string, ciphertext: string) =>
    this.request('POST /link/sessions/:id/messages', { params: { id }, body: { ciphertext } });
  linkMessages = (id: string, after = 0) =>
    this.request('GET /link/sessions/:id/messages', { params: { id }, query: { after } });
  putSecretStorage = (ciphertext: string) =>
    this.request('PUT /backup/secret', { body: { ciphertext } });
  secretStorage = () => this.request('GET /backup/secret');
  appendBackup = (entries: string[]) => this.request('POST /backup/entries', { body: { entries } });
  backupEntries = (after = 0, limit?: number) =>
    this.request('GET /backup/entries', { query: { after, limit } });
  submitCommit = (id: string, body: CommitRequest) =>
    this.request('POST /conversations/:id/commits', { params: { id }, body });
  commits = (id: string, since: number, limit?: number) =>
    this.request('GET /conversations/:id/commits', { params: { id }, query: { since, limit } });

  /** The live stream of the caller's inbox (Server-Sent Events), resuming after `since`. */
  events(options: Omit<EventStreamOptions, 'url' | 'token' | 'fetch'> = {}): EventStream {
    return new EventStream({
      ...options,
      url: `${this.baseUrl}${pathOf('GET /events')}`,
      fetch: this.fetchImpl,
      token: async (renew) => {
        if (renew || this.accessTokenExpiring()) await this.refresh();
        const s = this.sessionState;
        if (!s) throw new RchatError('UNAUTHENTICATED', 'Not signed in.', 0);
        return s.accessToken;
      },
    });
  }

  /**
   * One request to a route of the route table; on 401 with a session it
   * refreshes once and retries. The answer is checked against the route's
   * response schema. Every failure is an RchatError: the server's code, or
   * NETWORK, TIMEOUT, BAD_RESPONSE, or UNAVAILABLE for a proxy's error page.
   */
  async request<K extends RouteKey>(
    route: K,
    call: Call<K> = {},
    retried = false,
  ): Promise<ResponseOf<K>> {
    const auth = call.auth ?? true;
    if (auth && this.accessTokenExpiring()) await this.refresh();
    const headers: Record<string, string> = {};
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.sessionState)
      headers.authorization = `Bearer ${this.sessionState.accessToken}`;
    const search = queryString(
      call.query as Record<string, string | number | undefined> | undefined,
    );
    const url = `${this.baseUrl}${pathOf(route, call.params as Record<string, string> | undefined)}${search ? `?${search}` : ''}`;
    const { method } = splitRouteKey(route);
    const answer = await this.fetchWithTimeout(
      url,
      { method, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}) },
      call.signal,
    );
    if (
      answer.status === 401 &&
      auth &&
      !retried &&
      this.sessionState &&
      !isRevocation(answer.text)
    ) {
      await this.refresh();
      return this.request(route, call, true);
    }
    if (answer.status < 200 || answer.status >= 300)
      throw errorFromAnswer(answer.status, answer.text, answer.retryAfter);
    const schema = responseSchemaOf(route);
    if (!schema) return undefined as ResponseOf<K>;
    const json = parseJson(answer.text);
    if (json === undefined) throw badResponse(answer.status, 'is not JSON');
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw badResponse(answer.status, `does not match what ${route} answers`, parsed.error.issues);
    return parsed.data as ResponseOf<K>;
  }

  /** Fetches and reads the whole answer within the request timeout. */
  private async fetchWithTimeout(
    url: string,
    init: RequestInit,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string; retryAfter: string | null }> {
    const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const cancel = () => controller.abort(signal?.reason);
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const res = await this.fetchImpl(url, { ...init, signal: controller.signal });
      return {
        status: res.status,
        text: await res.text(),
        retryAfter: res.headers.get('retry-after'),
      };
    } catch (cause) {
      throw controller.signal.aborted && !signal?.aborted
        ? timeoutError(timeoutMs)
        : networkError(cause);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  private accessTokenExpiring(): boolean {
    const s = this.sessionState;
    return !!s && Date.parse(s.accessTokenExpiresAt) - Date.now() < 15_000;
  }

  private setSession(session: SessionResponse | null): SessionResponse {
    this.sessionState = session;
    this.options.onSession?.(session);
    return session as SessionResponse;
  }
}

/**
 * A 401 that no token refresh can fix (the device was removed, or signed out by an identity reset).
 */
function isRevocation(text: string): boolean {
  const body = errorBodySchema.safeParse(parseJson(text));
  return (
    body.success &&
    (body.data.error.code === 'DEVICE_REVOKED' || body.data.error.code === 'IDENTITY_RESET')
  );
}
