import type { InboxPage, InboxQuery } from '@rchat/protocol';

/**
 * Reads a user's inbox from the chat service (the source of truth for resume
 * and gap repair). `resumingDevice` names the device when the read is its
 * resume from its own cursor (`q.after`): chat records that the device has
 * everything up to there, which inbox retention waits for.
 */
export type InboxReader = (
  userId: string,
  q: InboxQuery,
  resumingDevice?: string,
) => Promise<InboxPage>;
