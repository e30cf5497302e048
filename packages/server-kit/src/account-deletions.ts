import {
  accountDeletedEventSchema,
  accountsDeletedSubject,
  type AccountDeletedEvent,
} from '@rchat/protocol';
import type { Bus } from './bus.ts';
import type { Logger } from './logger.ts';
import { readInternal } from './internal-read.ts';
import { RetryingTask } from './retrying-task.ts';

/**
 * Accounts deleted recently, read at start: what a service that was down when the bus event went
 * out must still act on.
 */
export type DeletedAccountsSource = () => Promise<AccountDeletedEvent[]>;

export function remoteDeletedAccountsSource(
  usersUrl: string,
  internalToken: string,
): DeletedAccountsSource {
  return async () =>
    (await readInternal(usersUrl, 'GET /internal/deleted-accounts', internalToken)).deleted;
}

/** Tells every instance (and this one) that an account was deleted. */
export function publishAccountDeleted(bus: Bus, event: AccountDeletedEvent): void {
  bus.publish(accountsDeletedSubject, event);
}

/**
 * Runs `handle` for every account deletion: the recent ones from `source` at
 * start (and again whenever the bus reconnects), then each one the bus
 * brings. The bus is at-most-once, so `handle` must be idempotent (it may see
 * a deletion twice, from both). Failures are logged.
 */
export async function watchAccountDeletions(
  bus: Bus,
  source: DeletedAccountsSource | undefined,
  logger: Logger,
  handle: (e: AccountDeletedEvent) => Promise<void>,
): Promise<() => void> {
  const run = (e: AccountDeletedEvent) =>
    handle(e).catch((err: unknown) =>
      logger.error({ err, userId: e.userId }, 'could not apply an account deletion'),
    );
  const sub = bus.subscribe(accountsDeletedSubject, (event) => {
    const parsed = accountDeletedEventSchema.safeParse(event);
    if (parsed.success) void run(parsed.data);
  });
  // While users cannot be reached (it may be starting too), try again with backoff.
  const loading = new RetryingTask(
    async () => {
      for (const e of (await source?.()) ?? []) await run(e);
    },
    (err, retryInMs) =>
      logger.warn(
        { err, retryInMs },
        'could not load recent account deletions; relying on the bus, and trying again',
      ),
  );
  // A deletion published while the bus was away is read from the users service instead.
  const stopWatchingBus = bus.onReconnect(() => void loading.run());
  await loading.run();
  return () => {
    loading.cancel();
    stopWatchingBus();
    sub.unsubscribe();
  };
}
