import type { SealedStore } from '../storage/storage.ts';
import type { ChatMessage } from './types.ts';

const seqKey = (seq: number) => String(seq).padStart(15, '0');

/**
 * The plaintext this device decrypted (or sent), sealed at rest, by
 * conversation and sequence: history stays readable after epochs move on.
 */
export class MessageStore {
  constructor(private readonly store: SealedStore) {}

  get = (conversationId: string, seq: number) =>
    this.store.getJson<ChatMessage>(`msg/${conversationId}/${seqKey(seq)}`);
  put = (m: ChatMessage) => this.store.putJson(`msg/${m.conversationId}/${seqKey(m.seq)}`, m);
}
