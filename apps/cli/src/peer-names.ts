import type { ChatConversation, RchatClient } from '@rchat/sdk';

/**
 * Usernames by user id, learnt from conversations as they appear; asks the server for one it has
 * not seen.
 */
export class PeerNames {
  private readonly names = new Map<string, string>();
  private readonly peers = new Map<string, string>();

  constructor(private readonly client: RchatClient) {
    this.names.set(client.userId, client.username);
    client.on('conversation', (c) => this.learn(c));
  }

  async load(): Promise<void> {
    for (const c of await this.client.conversations()) this.learn(c);
  }

  /** The other person's username in a conversation this has seen. */
  peerOf(conversationId: string): string | undefined {
    return this.peers.get(conversationId);
  }

  private learn(c: ChatConversation): void {
    this.names.set(c.peer.userId, c.peer.username);
    this.peers.set(c.id, c.peer.username);
  }

  async of(userId: string): Promise<string> {
    const known = this.names.get(userId);
    if (known) return known;
    const username = await this.client.api.getUser(userId).then(
      (u) => u.username,
      () => userId,
    );
    this.names.set(userId, username);
    return username;
  }
}
