import type { Bus, Db, KeyedLimit, Logger } from '@rchat/server-kit';
import type { ActiveDevice } from '@rchat/protocol';
import type { ChatConfig } from '../config.ts';

/** Looks users up in the users service (in-process or over HTTP on the caller's behalf). */
export interface UserDirectory {
  /** The user, or null when no user has this id. */
  getUser(id: string, callerToken: string): Promise<{ id: string; username: string } | null>;
}

/**
 * The devices of some users that are not removed (the users service's; in-process or over
 * /internal).
 */
export type ActiveDevicesSource = (userIds: readonly string[]) => Promise<ActiveDevice[]>;

export interface ChatDeps {
  db: Db;
  bus: Bus;
  users: UserDirectory;
  config: Readonly<ChatConfig>;
  logger: Logger;
  now: () => Date;
  /** Budgets checked after authorization (route-level ones are keyed by the caller). */
  limits: { commitsPerConversation: KeyedLimit };
}

export interface Caller {
  userId: string;
  deviceId: string;
  username: string;
  token: string;
}
