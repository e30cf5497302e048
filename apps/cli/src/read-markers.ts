import type { RchatClient } from '@rchat/sdk';

/**
 * Moves read markers forward as messages are shown, one request at a time:
 * a burst of messages (a catch-up) ends in one request per conversation, for
 * the newest one shown. The server never moves a marker back.
 */
export class ReadMarkers {
  private readonly wanted = new Map<string, number>();
  private running: Promise<void> | null = null;

  constructor(private readonly client: RchatClient) {}

  mark(conversationId: string, seq: number): void {
    if (seq <= (this.wanted.get(conversationId) ?? 0)) return;
    this.wanted.set(conversationId, seq);
    this.running ??= this.flush(); // flush awaits before it ends, so `running` is set first
  }

  /** Resolves when every marker asked for so far was sent. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async flush(): Promise<void> {
    for (let next = this.wanted.entries().next(); !next.done; next = this.wanted.entries().next()) {
      const [conversationId, seq] = next.value;
      this.wanted.delete(conversationId);
      await this.client.markRead(conversationId, seq).catch(() => undefined); // unread counts are a convenience; the message was shown
    }
    this.running = null;
  }
}
