import type { InboxPage, InboxQuery } from '@rchat/protocol';

/** Reads a user's inbox from the chat service (the source of truth for resume and gap repair). */
export type InboxReader = (userId: string, q: InboxQuery) => Promise<InboxPage>;
