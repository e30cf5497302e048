import type { FastifyInstance } from 'fastify';
import { createTokenVerifier, DeviceRevocations, KeyedLimit, migrate, openDatabase, type Bus, type Database, type KeySetSource, type DeletedAccountsSource, type Logger, type RevocationSource, watchAccountDeletions } from '@rchat/server-kit';
import type { InboxPage, InboxQuery } from '@rchat/protocol';
import type { ChatConfig } from './config.ts';
import type { ChatDeps, UserDirectory } from './app/deps.ts';
import { readInbox } from './app/read-inbox.ts';
import { recordAccountDeletion } from './app/record-account-deletion.ts';
import { chatMigrations } from './adapters/postgres/migrations.ts';
import { registerChatRoutes } from './adapters/http/routes.ts';

export interface ChatService {
  register(app: FastifyInstance): void;
  /** In-process inbox reads for the delivery service. */
  readInbox(userId: string, q: InboxQuery): Promise<InboxPage>;
  ready(): Promise<void>;
  close(): Promise<void>;
  readonly database: Database;
}

export interface ChatServiceOptions {
  bus: Bus;
  keySet: KeySetSource;
  users: UserDirectory;
  /** Recent device removals, loaded at start (the bus brings later ones). */
  revocations: RevocationSource;
  /** Recent account deletions, applied at start (the bus brings later ones). */
  deletedAccounts?: DeletedAccountsSource | undefined;
  memory?: boolean;
  /** A database shared with other services (the single-process server's); its owner closes it. Otherwise the service opens its own. */
  database?: Database | undefined;
}

export async function createChatService(config: Readonly<ChatConfig>, logger: Logger, options: ChatServiceOptions): Promise<ChatService> {
  const database = options.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, name: 'chat', memory: options.memory ?? false, logger }));
  await migrate(database, 'chat', chatMigrations, logger);
  const deps: ChatDeps = {
    db: database.db,
    bus: options.bus,
    users: options.users,
    config,
    logger,
    now: () => new Date(),
    limits: { commitsPerConversation: new KeyedLimit(config.RATE_LIMIT_COMMITS_PER_CONVERSATION_PER_MINUTE, 'commits in this conversation') },
  };
  const revoked = new DeviceRevocations(options.bus, options.revocations, logger);
  await revoked.start();
  const verifier = createTokenVerifier(options.keySet, { isRevoked: revoked.isRevoked, isSessionEnded: revoked.isSessionEnded });
  const stopDeletions = await watchAccountDeletions(options.bus, options.deletedAccounts, logger, (e) => recordAccountDeletion(deps, e.userId));
  return {
    register: (app) => registerChatRoutes(app, deps, verifier),
    readInbox: (userId, q) => readInbox(deps, userId, q),
    ready: () => database.ping(),
    close: async () => {
      revoked.close();
      stopDeletions();
      if (!options.database) await database.close();
    },
    database,
  };
}
