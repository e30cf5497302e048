import type {
  ClaimKeyPackagesResponse,
  CommitRequest,
  CommitsResponse,
  KeyPackageCount,
  UploadKeyPackagesRequest,
  UserKeys,
  LinkSession,
  LinkSessionList,
  LinkMessagesResponse,
  SecretStorage,
  BackupEntriesResponse,
  Conversation,
  Device,
  ErrorBody,
  HistoryResponse,
  InboxPage,
  LoginRequest,
  LoginChallengeResponse,
  ResetIdentityRequest,
  Message,
  ReadMarkerResponse,
  RegisterRequest,
  SearchUsersResponse,
  SendMessageRequest,
  SessionResponse,
  SignedOutDevicesResponse,
  User,
  WellKnown,
} from '@rchat/protocol';
import { RchatError } from './errors.ts';
import { EventStream, type EventStreamOptions } from './event-stream.ts';

export interface RchatApiOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Called whenever tokens change (login, refresh), so a client can persist them. */
  onSession?: (session: SessionResponse | null) => void;
  session?: SessionResponse;
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
    return this.setSession(await this.request<SessionResponse>('POST', '/auth/register', body, { auth: false }));
  }

  async login(body: LoginRequest): Promise<SessionResponse> {
    return this.setSession(await this.request<SessionResponse>('POST', '/auth/login', body, { auth: false }));
  }

  async logout(): Promise<void> {
    const s = this.sessionState;
    if (s) await this.request<void>('POST', '/auth/logout', { refreshToken: s.refreshToken }, { auth: false });
    this.setSession(null);
  }

  /** Rotates the refresh token; concurrent callers share one refresh. */
  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const s = this.sessionState;
      if (!s) throw new RchatError('UNAUTHENTICATED', 'Not signed in.', 401);
      try {
        this.setSession(await this.request<SessionResponse>('POST', '/auth/refresh', { refreshToken: s.refreshToken }, { auth: false }));
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  wellKnown = () => this.request<WellKnown>('GET', '/.well-known/rchat', undefined, { auth: false });
  searchUsers = (query: string, opts: { limit?: number; after?: string } = {}) =>
    this.request<SearchUsersResponse>('GET', `/users?${qs({ query, limit: opts.limit, after: opts.after })}`);
  getUser = (id: string) => this.request<User>('GET', `/users/${encodeURIComponent(id)}`);
  changePassword = (currentPassword: string, newPassword: string) => this.request<SignedOutDevicesResponse>('PUT', '/auth/password', { currentPassword, newPassword });
  signOutOtherDevices = () => this.request<SignedOutDevicesResponse>('POST', '/auth/sign-out-others', {});
  deleteAccount = (password: string) => this.request<void>('POST', '/auth/delete-account', { password });
  removeDevice = (deviceId: string) => this.request<void>('DELETE', `/devices/${encodeURIComponent(deviceId)}`);
  devices = async () => (await this.request<{ devices: Device[] }>('GET', '/devices')).devices;
  createConversation = (peer: string) => this.request<Conversation>('POST', '/conversations', { peer });
  conversations = async () => (await this.request<{ conversations: Conversation[] }>('GET', '/conversations')).conversations;
  conversation = (id: string) => this.request<Conversation>('GET', `/conversations/${encodeURIComponent(id)}`);
  /** `signal` ends a request that takes too long (it then fails with NETWORK; a resend under the same txnId is safe). */
  sendMessage = (conversationId: string, body: SendMessageRequest, options: { signal?: AbortSignal } = {}) =>
    this.request<Message>('POST', `/conversations/${encodeURIComponent(conversationId)}/messages`, body, options);
  history = (conversationId: string, opts: { before?: number; limit?: number } = {}) =>
    this.request<HistoryResponse>('GET', `/conversations/${encodeURIComponent(conversationId)}/messages?${qs(opts)}`);
  markRead = (conversationId: string, seq: number) => this.request<ReadMarkerResponse>('POST', `/conversations/${encodeURIComponent(conversationId)}/read`, { seq });
  inbox = (after: number, limit?: number) => this.request<InboxPage>('GET', `/inbox?${qs({ after, limit })}`);

  setIdentityKey = (identityKey: string) => this.request<{ changed: boolean }>('PUT', '/keys/identity', { identityKey });
  resetIdentity = (body: ResetIdentityRequest) => this.request<{ signedOut: number }>('POST', '/keys/identity/reset', body);
  loginChallenge = () => this.request<LoginChallengeResponse>('POST', '/auth/challenge', undefined, { auth: false });
  setDeviceCertificate = (certificate: string) => this.request<void>('PUT', '/devices/current/certificate', { certificate });
  uploadKeyPackages = (body: UploadKeyPackagesRequest) => this.request<KeyPackageCount>('POST', '/devices/current/key-packages', body);
  keyPackageCount = () => this.request<KeyPackageCount>('GET', '/devices/current/key-packages/count');
  userKeys = (userId: string) => this.request<UserKeys>('GET', `/users/${encodeURIComponent(userId)}/keys`);
  claimKeyPackages = (userId: string, exceptDeviceIds?: string[]) =>
    this.request<ClaimKeyPackagesResponse>('POST', `/users/${encodeURIComponent(userId)}/key-packages/claim`, exceptDeviceIds ? { exceptDeviceIds } : {});
  openLinkSession = () => this.request<LinkSession>('POST', '/link/sessions', {});
  linkSessions = () => this.request<LinkSessionList>('GET', '/link/sessions');
  requestJoin = (conversationId: string) => this.request<void>('POST', `/conversations/${encodeURIComponent(conversationId)}/join-requests`, {});
  postLinkMessage = (sessionId: string, ciphertext: string) => this.request<{ seq: number }>('POST', `/link/sessions/${encodeURIComponent(sessionId)}/messages`, { ciphertext });
  linkMessages = (sessionId: string, after = 0) => this.request<LinkMessagesResponse>('GET', `/link/sessions/${encodeURIComponent(sessionId)}/messages?${qs({ after })}`);
  putSecretStorage = (ciphertext: string) => this.request<SecretStorage>('PUT', '/backup/secret', { ciphertext });
  secretStorage = () => this.request<SecretStorage>('GET', '/backup/secret');
  appendBackup = (entries: string[]) => this.request<{ last: number }>('POST', '/backup/entries', { entries });
  backupEntries = (after = 0, limit?: number) => this.request<BackupEntriesResponse>('GET', `/backup/entries?${qs({ after, limit })}`);
  submitCommit = (conversationId: string, body: CommitRequest) => this.request<{ epoch: number }>('POST', `/conversations/${encodeURIComponent(conversationId)}/commits`, body);
  commits = (conversationId: string, since: number, limit?: number) =>
    this.request<CommitsResponse>('GET', `/conversations/${encodeURIComponent(conversationId)}/commits?${qs({ since, limit })}`);

  /** The live stream of the caller's inbox (Server-Sent Events), resuming after `since`. */
  events(options: Omit<EventStreamOptions, 'url' | 'token' | 'fetch'> = {}): EventStream {
    return new EventStream({
      ...options,
      url: `${this.baseUrl}/events`,
      fetch: this.fetchImpl,
      token: async (renew) => {
        if (renew || this.accessTokenExpiring()) await this.refresh();
        const s = this.sessionState;
        if (!s) throw new RchatError('UNAUTHENTICATED', 'Not signed in.', 401);
        return s.accessToken;
      },
    });
  }

  /** One HTTP request; on 401 with a session it refreshes once and retries. */
  async request<T>(method: string, path: string, body?: unknown, opts: { auth?: boolean; retried?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const auth = opts.auth ?? true;
    if (auth && this.accessTokenExpiring()) await this.refresh();
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.sessionState) headers.authorization = `Bearer ${this.sessionState.accessToken}`;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (cause) {
      throw new RchatError('NETWORK', 'The server cannot be reached; check the connection and try again.', 0, cause);
    }
    if (res.status === 401 && auth && !opts.retried && this.sessionState && !(await isRevocation(res.clone()))) {
      await this.refresh();
      return this.request<T>(method, path, body, { ...opts, retried: true });
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = (json as ErrorBody | undefined)?.error;
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new RchatError(err?.code ?? 'INTERNAL', err?.message ?? `HTTP ${res.status}`, res.status, err?.details, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    return json as T;
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

/** A 401 that no token refresh can fix (the device was removed, or signed out by an identity reset). */
async function isRevocation(res: Response): Promise<boolean> {
  try {
    const code = ((await res.json()) as ErrorBody).error.code;
    return code === 'DEVICE_REVOKED' || code === 'IDENTITY_RESET';
  } catch {
    return false;
  }
}

function qs(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  return search.toString();
}
