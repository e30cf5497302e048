import type { SealedStore } from '../storage/storage.ts';
import type { ChatMessage } from './types.ts';

const seqKey = (seq: number) => String(seq).padStart(15, '0');

/** An own message not yet confirmed by the server: kept with its ciphertext so a retry resends the same bytes. */
export interface PendingSend {
  message: ChatMessage;
  ciphertext: string;
  epoch: number;
}

/**
 * The plaintext this device decrypted (or sent), sealed at rest, by
 * conversation and sequence: history stays readable after epochs move on.
 */
export class MessageStore {
  constructor(private readonly store: SealedStore) {}

  get = (conversationId: string, seq: number) => this.store.getJson<ChatMessage>(`msg/${conversationId}/${seqKey(seq)}`);
  put = (m: ChatMessage) => this.store.putJson(`msg/${m.conversationId}/${seqKey(m.seq)}`, m);

  pending = (clientMsgId: string) => this.store.getJson<PendingSend>(`pending/${clientMsgId}`);
  putPending = (p: PendingSend) => this.store.putJson(`pending/${p.message.clientMsgId}`, p);
  deletePending = (clientMsgId: string) => this.store.delete(`pending/${clientMsgId}`);

  async pendingFor(conversationId: string): Promise<PendingSend[]> {
    const out: PendingSend[] = [];
    for (const key of await this.store.list('pending/')) {
      const p = await this.store.getJson<PendingSend>(key);
      if (p && p.message.conversationId === conversationId) out.push(p);
    }
    return out.sort((a, b) => a.message.sentAt - b.message.sentAt);
  }
}
