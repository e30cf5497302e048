import { backupPublicKey, fromBase64, openBackupEntry, sealBackupEntry, toBase64, type IdentityKeyPair } from '@rchat/crypto';
import type { RchatApi } from '../api.ts';
import type { RecoverySecrets } from './account-store.ts';
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
  private queue: ChatMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();
  private publicKey: Promise<Uint8Array>;

  constructor(
    private readonly deps: { api: RchatApi; userId: string; deviceId: string; identity: IdentityKeyPair; secrets: RecoverySecrets; onError: (message: string) => void },
  ) {
    this.publicKey = backupPublicKey(deps.secrets.backupSeed);
  }

  /** Queues a message for the backup (readable content only). */
  add(message: ChatMessage): void {
    if (message.content.kind !== 'text' && message.content.kind !== 'unknown') return;
    if (message.id === null) return;
    this.queue.push(message);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes everything queued so far; resolves when it is stored on the server (or failed, reported as a warning and kept for the next flush). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.running.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, BATCH);
        try {
          const writer = { userId: this.deps.userId, deviceId: this.deps.deviceId, identity: this.deps.identity, backupPublicKey: await this.publicKey };
          const entries = await Promise.all(batch.map(async (m) => toBase64(await sealBackupEntry(writer, encodeMessage(m)))));
          await this.deps.api.appendBackup(entries);
          this.queue.splice(0, batch.length);
        } catch (err) {
          this.deps.onError(`The message backup could not be written (it is retried with the next message): ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
      }
    });
    return this.running;
  }
}

function encodeMessage(m: ChatMessage): Uint8Array {
  const { id, conversationId, seq, senderUserId, senderDeviceId, sentAt, createdAt, clientMsgId, content } = m;
  return new TextEncoder().encode(JSON.stringify({ v: 1, id, conversationId, seq, senderUserId, senderDeviceId, sentAt, createdAt, clientMsgId, content }));
}

/**
 * Reads the whole backup into this device's message store (history from
 * before it existed). Entries whose signature fails are rejected and
 * counted, never shown.
 */
export async function importBackup(
  deps: { api: RchatApi; userId: string; identityPublicKey: Uint8Array; backupSeed: Uint8Array; messages: MessageStore },
): Promise<{ imported: number; rejected: number }> {
  let imported = 0;
  let rejected = 0;
  let after = 0;
  for (;;) {
    const page = await deps.api.backupEntries(after, 500);
    for (const e of page.entries) {
      const opened = await openBackupEntry({ userId: deps.userId, identityPublicKey: deps.identityPublicKey, backupSeed: deps.backupSeed }, fromBase64(e.entry) ?? new Uint8Array());
      const message = opened.kind === 'ok' ? decodeMessage(opened.plaintext, deps.userId) : undefined;
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
    const m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<ChatMessage> & { v?: number };
    if (m.v !== 1 || typeof m.conversationId !== 'string' || typeof m.seq !== 'number' || typeof m.senderUserId !== 'string' || !m.content) return undefined;
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
