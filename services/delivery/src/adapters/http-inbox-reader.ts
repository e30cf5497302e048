import { inboxPageSchema } from '@rchat/protocol';
import type { InboxReader } from '../app/inbox-reader.ts';

/** Reads inboxes from the chat service's internal endpoint, authenticated with the shared internal token. */
export function httpInboxReader(chatUrl: string, internalToken: string): InboxReader {
  return async (userId, q, resumingDevice) => {
    const url = new URL(`/internal/inbox/${encodeURIComponent(userId)}`, chatUrl);
    url.searchParams.set('after', String(q.after));
    url.searchParams.set('limit', String(q.limit));
    if (resumingDevice !== undefined) url.searchParams.set('device', resumingDevice);
    const res = await fetch(url, {
      headers: { 'x-internal-token': internalToken },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`inbox read failed with HTTP ${res.status}`);
    return inboxPageSchema.parse(await res.json());
  };
}
