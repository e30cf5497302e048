import type { User } from '@rchat/protocol';

/** A user row as the API shows it. */
export function toUser(row: { id: string; username: string; createdAt: Date }): User {
  return { id: row.id, username: row.username, createdAt: row.createdAt.toISOString() };
}
