import rateLimit from '@fastify/rate-limit';
import {
  bindRoutes,
  KeyedLimit,
  migrate,
  openDatabase,
  RetentionSchedule,
  type Bus,
  type Database,
  type DeletedAccountsSource,
  type Logger,
  type ServicePlugin,
  watchAccountDeletions,
} from '@rchat/server-kit';
import { routesOf, type InboxPage, type InboxQuery } from '@rchat/protocol';
import type { ChatConfig } from './config.ts';
import type { ActiveDevicesSource, ChatDeps, UserDirectory } from './app/deps.ts';
import { readInbox } from './app/read-inbox.ts';
import { recordAccountDeletion } from './app/record-account-deletion.ts';
import { inboxRetentionTask } from './app/delete-passed-inbox-entries.ts';
import { chatMigrations } from './db/migrations.ts';
import { chatHandlers } from './adapters/http/routes.ts';

export interface ChatService {
  /**
   * The service's routes as an encapsulated Fastify plugin (register it with an optional prefix).
   */
  plugin: ServicePlugin;
  /**
   * In-process inbox reads for the delivery service; `resumingDevice` when the read is that device
   * resuming from `q.after`.
   */
  readInbox(userId: string, q: InboxQuery, resumingDevice?: string): Promise<InboxPage>;
  /**
   * The scheduled deletion of passed inbox entries (started with the service, stopped by `close`).
   */
  readonly retention: RetentionSchedule;
  ready(): Promise<void>;
  close(): Promise<void>;
  readonly database: Database;
}

export interface ChatServiceOptions {
  bus: Bus;
  users: UserDirectory;
  /** Recent account deletions, applied at start (the bus brings later ones). */
  deletedAccounts?: DeletedAccountsSource | undefined;
  /** Users' devices that are not removed; without it inbox entries are never deleted. */
  activeDevices?: ActiveDevicesSource | undefined;
  /** The service's clock (tests move it forward instead of waiting). */
  clock?: (() => Date) | undefined;
  memory?: boolean;
  /**
   * A database shared with other services (the single-process server's); its owner closes it.
   * Otherwise the service opens its own.
   */
  database?: Database | undefined;
}

export async function createChatService(
  config: Readonly<ChatConfig>,
  logger: Logger,
  options: ChatServiceOptions,
): Promise<ChatService> {
  const database =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      name: 'chat',
      memory: options.memory ?? false,
      logger,
    }));
  await migrate(database, 'chat', chatMigrations, logger);
  const deps: ChatDeps = {
    db: database.db,
    bus: options.bus,
    users: options.users,
    config,
    logger,
    now: options.clock ?? (() => new Date()),
    limits: {
      commitsPerConversation: new KeyedLimit(
        config.RATE_LIMIT_COMMITS_PER_CONVERSATION_PER_MINUTE,
        'commits in this conversation',
      ),
    },
  };
  const stopDeletions = await watchAccountDeletions(
    options.bus,
    options.deletedAccounts,
    logger,
    (e) => recordAccountDeletion(deps, e.userId),
  );
  if (!options.activeDevices)
    logger.warn(
      'inbox retention is off: the users service cannot be asked for devices (set INTERNAL_TOKEN)',
    );
  const retention = new RetentionSchedule({
    service: 'chat',
    intervalMs: config.RETENTION_INTERVAL_SECONDS * 1000,
    tasks: options.activeDevices ? [inboxRetentionTask(deps, options.activeDevices)] : [],
    logger: logger.child({ component: 'retention' }),
    now: deps.now,
  });
  retention.start();
  return {
    plugin: async (app, { auth, metrics }) => {
      retention.observe(metrics);
      await app.register(rateLimit, { global: false });
      bindRoutes(app, routesOf('chat'), chatHandlers(deps), {
        auth,
        internalToken: config.INTERNAL_TOKEN,
        responseValidation: config.RESPONSE_VALIDATION,
      });
    },
    readInbox: (userId, q, resumingDevice) => readInbox(deps, userId, q, { resumingDevice }),
    retention,
    ready: () => database.ping(),
    close: async () => {
      await retention.stop();
      stopDeletions();
      if (!options.database) await database.close();
    },
    database,
  };
}
