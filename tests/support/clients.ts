import {
  RchatClient,
  createMemoryStorage,
  type ChatMessage,
  type ClientStorage,
  type SecurityAlert,
} from '@rchat/sdk';
import { PASSWORD, uniqueName, waitFor } from './users.ts';

export interface TestClient {
  client: RchatClient;
  storage: ClientStorage;
  /** Every message event seen, latest state per (conversation, clientMsgId). */
  received: ChatMessage[];
  warnings: string[];
  /** Security alerts, in order. */
  alerts: SecurityAlert[];
}

export function observe(client: RchatClient, storage: ClientStorage): TestClient {
  const t: TestClient = { client, storage, received: [], warnings: [], alerts: [] };
  client.on('alert', (a) => t.alerts.push(a));
  client.on('message', (m) => {
    const i = t.received.findIndex(
      (x) =>
        x.conversationId === m.conversationId &&
        x.clientMsgId === m.clientMsgId &&
        x.senderDeviceId === m.senderDeviceId,
    );
    if (i >= 0) t.received[i] = m;
    else t.received.push(m);
  });
  client.on('warning', (w) => t.warnings.push(w.message));
  return t;
}

export async function registerClient(
  baseUrl: string,
  prefix: string,
  options: { fetch?: typeof fetch; storage?: ClientStorage; keyRotationIntervalMs?: number } = {},
): Promise<TestClient> {
  const storage = options.storage ?? createMemoryStorage();
  const client = await RchatClient.register(
    {
      baseUrl,
      storage,
      deviceName: `${prefix} device`,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.keyRotationIntervalMs
        ? { keyRotationIntervalMs: options.keyRotationIntervalMs }
        : {}),
    },
    uniqueName(prefix),
    PASSWORD,
  );
  return observe(client, storage);
}

/** The same account and storage, as after closing and reopening the app. */
export async function reopen(
  baseUrl: string,
  t: TestClient,
  options: { fetch?: typeof fetch } = {},
): Promise<TestClient> {
  const client = await RchatClient.restore({
    baseUrl,
    storage: t.storage,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (!client) throw new Error('nothing to restore');
  return observe(client, t.storage);
}

export const texts = (t: TestClient, conversationId: string, from?: string) =>
  t.received
    .filter(
      (m) =>
        m.conversationId === conversationId &&
        m.status === 'sent' &&
        (from === undefined || m.senderUserId === from),
    )
    .sort((a, b) => a.seq - b.seq)
    .map((m) => (m.content.kind === 'text' ? m.content.text : `<${m.content.kind}>`));

export async function waitForTexts(
  t: TestClient,
  conversationId: string,
  from: string,
  count: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  await waitFor(
    () => texts(t, conversationId, from).length >= count,
    `${count} messages`,
    timeoutMs,
  );
  return texts(t, conversationId, from);
}

/**
 * Sends through the outbox and waits until the server stored it; fails saying why when it was not
 * sent.
 */
export async function sendNow(
  client: RchatClient,
  conversationId: string,
  text: string,
): Promise<ChatMessage> {
  const sent = new Map<string, ChatMessage>();
  const off = client.on(
    'message',
    (m) => m.status === 'sent' && m.own && sent.set(m.clientMsgId, m),
  );
  try {
    const queued = await client.sendText(conversationId, text);
    const left = (await client.flushOutbox()).find((m) => m.clientMsgId === queued.clientMsgId);
    const confirmed = sent.get(queued.clientMsgId);
    if (left || !confirmed)
      throw new Error(
        `"${text}" was not sent: ${left?.status ?? 'no confirmation'} ${left?.failure?.message ?? ''}`,
      );
    return confirmed;
  } finally {
    off();
  }
}
