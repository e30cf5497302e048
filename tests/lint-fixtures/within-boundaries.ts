// as: services/chat/src/app/__fixture__.ts
import { sql } from 'drizzle-orm';
import { queryRows } from '@rchat/server-kit';
import type { InboxEntry } from '@rchat/protocol';
import { conversations } from '../db/schema.ts';
import type { ChatDeps } from './deps.ts';
import { requireMember } from './support/membership.ts';

export type Entry = InboxEntry;
export const parts = { sql, queryRows, conversations, requireMember };
export type Deps = ChatDeps;
