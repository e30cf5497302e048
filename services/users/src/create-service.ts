import rateLimit from '@fastify/rate-limit';
import {
  bindRoutes,
  migrate,
  openDatabase,
  RetentionSchedule,
  type Bus,
  type Database,
  type KeySetSource,
  type DeletedAccountsSource,
  type Logger,
  type RevocationSource,
  type ServicePlugin,
} from '@rchat/server-kit';
import { routesOf, type ActiveDevice, type User } from '@rchat/protocol';
import type { UsersConfig } from './config.ts';
import type { UsersDeps } from './app/deps.ts';
import { SigningKeys } from './app/support/signing-keys.ts';
import { getUser } from './app/get-user.ts';
import { recentRevocations } from './app/recent-revocations.ts';
import { recentAccountDeletions } from './app/recent-account-deletions.ts';
import { listActiveDevices } from './app/list-active-devices.ts';
import { usersRetentionTasks } from './app/clean-up-expired.ts';
import { createArgon2Hasher } from './adapters/argon2-hasher.ts';
import { usersMigrations } from './db/migrations.ts';
import { usersHandlers } from './adapters/http/routes.ts';
import { requireCertifiedDevice } from './app/support/require-certified-device.ts';

/**
 * The users service, independent of how it is hosted (own process or the single-process server).
 */
export interface UsersService {
  /**
   * The service's routes as an encapsulated Fastify plugin (register it with an optional prefix).
   */
  plugin: ServicePlugin;
  /** In-process key source for token verifiers (keys are published at /.well-known/jwks.json). */
  keySet: KeySetSource;
  getUser(id: string): Promise<User>;
  /** In-process source of recent device revocations for other services. */
  revocations: RevocationSource;
  /** In-process source of recent account deletions for the chat service. */
  deletedAccounts: DeletedAccountsSource;
  /**
   * In-process read of users' devices that are not removed, for the chat service's inbox retention.
   */
  activeDevices(userIds: readonly string[]): Promise<ActiveDevice[]>;
  /** The scheduled deletion of expired data (started with the service, stopped by `close`). */
  readonly retention: RetentionSchedule;
  ready(): Promise<void>;
  close(): Promise<void>;
  readonly database: Database;
}

export interface UsersServiceOptions {
  bus: Bus;
  memory?: boolean;
  /**
   * A database shared with other services (the single-process server's); its owner closes it.
   * Otherwise the service opens its own.
   */
  database?: Database | undefined;
  /** The service's clock (tests move it forward instead of waiting). */
  clock?: (() => Date) | undefined;
}

export async function createUsersService(
  config: Readonly<UsersConfig>,
  logger: Logger,
  options: UsersServiceOptions,
): Promise<UsersService> {
  const database =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      name: 'users',
      memory: options.memory ?? false,
      logger,
    }));
  await migrate(database, 'users', usersMigrations, logger);
  const keys = new SigningKeys(database.db, config.SIGNING_KEY_ROTATION_DAYS * 86_400_000, logger);
  await keys.ensureCurrent();
  const rotation = setInterval(() => {
    keys
      .ensureCurrent()
      .catch((err: unknown) => logger.error({ err }, 'signing key rotation check failed'));
  }, 3_600_000);
  rotation.unref();
  const deps: UsersDeps = {
    db: database.db,
    hasher: createArgon2Hasher({
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_ITERATIONS,
      parallelism: config.ARGON2_PARALLELISM,
    }),
    keys,
    config,
    logger,
    now: options.clock ?? (() => new Date()),
  };
  const keySet: KeySetSource = () => keys.jwks();
  const retention = new RetentionSchedule({
    service: 'users',
    intervalMs: config.RETENTION_INTERVAL_SECONDS * 1000,
    tasks: usersRetentionTasks(deps),
    logger: logger.child({ component: 'retention' }),
    now: deps.now,
  });
  retention.start();
  return {
    plugin: async (app, { auth, metrics }) => {
      retention.observe(metrics);
      await app.register(rateLimit, { global: false });
      bindRoutes(app, routesOf('users'), usersHandlers(deps, options.bus), {
        auth,
        internalToken: config.INTERNAL_TOKEN,
        responseValidation: config.RESPONSE_VALIDATION,
        certifiedDevice: (caller) => requireCertifiedDevice(deps, caller),
      });
    },
    revocations: () => recentRevocations(deps),
    deletedAccounts: () => recentAccountDeletions(deps),
    activeDevices: (userIds) => listActiveDevices(deps, userIds),
    retention,
    keySet,
    getUser: (id) => getUser(deps, id),
    ready: () => database.ping(),
    close: async () => {
      clearInterval(rotation);
      await retention.stop();
      if (!options.database) await database.close();
    },
    database,
  };
}
