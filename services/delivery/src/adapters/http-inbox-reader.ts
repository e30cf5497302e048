import { readInternal } from '@rchat/server-kit';
import type { InboxReader } from '../app/inbox-reader.ts';

/**
 * Reads inboxes from the chat service's internal route, authenticated with the shared internal
 * token.
 */
export function httpInboxReader(chatUrl: string, internalToken: string): InboxReader {
  return (userId, q, resumingDevice) =>
    readInternal(chatUrl, 'GET /internal/inbox/:userId', internalToken, {
      params: { userId },
      query: { after: q.after, limit: q.limit, device: resumingDevice },
      timeoutMs: 10_000,
    });
}
