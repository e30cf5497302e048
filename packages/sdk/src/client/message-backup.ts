import {
  backupPublicKey,
  fromBase64,
  openBackupEntry,
  sealBackupEntry,
  toBase64,
  type IdentityKeyPair,
} from '@rchat/crypto';
import type { RchatApi } from '../api.ts';
import type { RecoverySecrets } from './account-store.ts';
import type { SealedStore } from '../storage/storage.ts';
import type { MessageStore } from './message-store.ts';
import type { ChatMessage } from './types.ts';

const FLUSH_DELAY_MS = 250;
const BATCH = 100;

/**
 * The account's message backup, written by every device: each plaintext it
 * decrypts (or sends) becomes one entry, sealed to the backup public key and
 * signed with the identity key, appended in batches. Writing needs no
 * recovery key; reading needs the backup seed (linked devices get it, a new
 * device gets it from the recovery key). MLS secrets are never backed up.
 */
export class MessageBackup {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly publicKey: Promise<Uint8Array>;
  /**
   * Storage writes of queued messages still in progress (the queue lives in sealed storage, so a
   * crash or a closed tab loses nothing).
   */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      api: RchatApi;
      store: SealedStore;
      userId: string;
      deviceId: string;
      identity: IdentityKeyPair;
      secrets: RecoverySecrets;
      onError: (message: string) => void;
    },
  ) {
    this.publicKey = backupPublicKey(deps.secrets.backupSeed);
  }

  /** Queues a message for the backup (readable content only). */
  add(message: ChatMessage): void {
    if (message.content.kind !== 'text' && message.content.kind !== 'unknown') return;
    if (message.id === null) return;
    this.pending = this.pending
      .then(() => this.deps.store.putJson(queueKey(message), message))
      .catch(() => undefined);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /**
   * Writes everything queued (also what an earlier run left); resolves when stored on the server,
   * or when it failed (reported as a warning, kept for the next flush).
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.running.then(async () => {
      await this.pending;
      for (;;) {
        const keys = (await this.deps.store.list(QUEUE)).slice(0, BATCH);
        if (keys.length === 0) return;
        try {
          const writer = {
            userId: this.deps.userId,
            deviceId: this.deps.deviceId,
            identity: this.deps.identity,
            backupPublicKey: await this.publicKey,
          };
          const entries: string[] = [];
          for (const key of keys) {
            const m = await this.deps.store.getJson<ChatMessage>(key);
            if (m) entries.push(toBase64(await sealBackupEntry(writer, encodeMessage(m))));
          }
          if (entries.length > 0) await this.deps.api.appendBackup(entries);
          for (const key of keys) await this.deps.store.delete(key);
        } catch (err) {
          this.deps.onError(
            `The message backup could not be written (it is retried with the next message): ${err instanceof Error ? err.message : String(err)}`,
          );
          return;
        }
      }
    });
    return this.running;
  }
}

const QUEUE = 'backupq/';
const queueKey = (m: ChatMessage) =>
  `${QUEUE}${m.conversationId}/${String(m.seq).padStart(15, '0')}`;

function encodeMessage(m: ChatMessage): Uint8Array {
  const {
    id,
    conversationId,
    seq,
    senderUserId,
    senderDeviceId,
    sentAt,
    createdAt,
    clientMsgId,
    content,
  } = m;
  return new TextEncoder().encode(
    JSON.stringify({
      v: 1,
      id,
      conversationId,
      seq,
      senderUserId,
      senderDeviceId,
      sentAt,
      createdAt,
      clientMsgId,
      content,
    }),
  );
}

/**
 * Reads the whole backup into this device's message store (history from
 * before it existed). Entries whose signature fails are rejected and
 * counted, never shown.
 */
export async function importBackup(deps: {
  api: RchatApi;
  userId: string;
  identityPublicKey: Uint8Array;
  backupSeed: Uint8Array;
  messages: MessageStore;
}): Promise<{ imported: number; rejected: number }> {
  let imported = 0;
  let rejected = 0;
  let after = 0;
  for (;;) {
    const page = await deps.api.backupEntries(after, 500);
    for (const e of page.entries) {
      const opened = await openBackupEntry(
        {
          userId: deps.userId,
          identityPublicKey: deps.identityPublicKey,
          backupSeed: deps.backupSeed,
        },
        fromBase64(e.entry) ?? new Uint8Array(),
      );
      const message =
        opened.kind === 'ok' ? decodeMessage(opened.plaintext, deps.userId) : undefined;
      if (!message) {
        rejected++;
        continue;
      }
      if (!(await deps.messages.get(message.conversationId, message.seq))) {
        await deps.messages.put(message);
        imported++;
      }
    }
    if (page.next === null) return { imported, rejected };
    after = page.next;
  }
}

function decodeMessage(bytes: Uint8Array, userId: string): ChatMessage | undefined {
  try {
    const m = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    ) as Partial<ChatMessage> & { v?: number };
    if (
      m.v !== 1 ||
      typeof m.conversationId !== 'string' ||
      typeof m.seq !== 'number' ||
      typeof m.senderUserId !== 'string' ||
      !m.content
    )
      return undefined;
    if (m.content.kind !== 'text' && m.content.kind !== 'unknown') return undefined;
    return {
      id: m.id ?? null,
      conversationId: m.conversationId,
      seq: m.seq,
      senderUserId: m.senderUserId,
      senderDeviceId: String(m.senderDeviceId),
      own: m.senderUserId === userId,
      sentAt: Number(m.sentAt),
      createdAt: m.createdAt ?? null,
      clientMsgId: String(m.clientMsgId),
      status: 'sent',
      content: m.content,
    };
  } catch {
    return undefined;
  }
}
