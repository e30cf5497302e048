import { openGroup, sealGroup, type Group, type MlsClient } from '@rchat/crypto';
import type { ClientStorage } from '../storage/storage.ts';

/** A conversation's MLS group id: the conversation id's 16 bytes. */
export function groupIdOf(conversationId: string): Uint8Array {
  const hex = conversationId.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/**
 * The current MLS group state of each conversation, sealed at rest. Groups
 * are immutable and single-use, so the live one is cached and replaced on
 * every change, and written before anything that depends on it is sent.
 */
export class GroupStore {
  private readonly live = new Map<string, Group>();

  constructor(
    private readonly storage: ClientStorage,
    private readonly prefix: string,
    private readonly mls: MlsClient,
  ) {}

  async get(conversationId: string): Promise<Group | undefined> {
    const cached = this.live.get(conversationId);
    if (cached) return cached;
    const sealed = await this.storage.get(this.key(conversationId));
    if (!sealed) return undefined;
    const opened = await openGroup(
      this.mls,
      await this.storage.storageKey(),
      groupIdOf(conversationId),
      sealed,
    );
    if (opened.kind !== 'ok')
      throw new Error(
        `The stored group of conversation ${conversationId} cannot be opened (${opened.kind}).`,
      );
    this.live.set(conversationId, opened.group);
    return opened.group;
  }

  async put(conversationId: string, group: Group): Promise<void> {
    this.live.set(conversationId, group);
    await this.storage.put(
      this.key(conversationId),
      await sealGroup(await this.storage.storageKey(), group),
    );
  }

  async delete(conversationId: string): Promise<void> {
    this.live.delete(conversationId);
    await this.storage.delete(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return `${this.prefix}group/${conversationId}`;
  }
}
