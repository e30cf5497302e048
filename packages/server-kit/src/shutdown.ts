import type { Logger } from './logger.ts';

/**
 * Runs `stop` once on SIGTERM/SIGINT (stop accepting, drain, close stores),
 * and exits; a second signal or the grace period forces the exit.
 */
export function onShutdownSignal(stop: () => Promise<void>, logger: Logger, graceMs: number): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown grace period exceeded: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** Listens, and stops gracefully on SIGTERM/SIGINT: the `main.ts` of every service. */
export async function serve(
  app: {
    listen(o: { host: string; port: number }): Promise<string>;
    close(): Promise<unknown>;
    shuttingDown: { value: boolean };
  },
  config: { HOST: string; PORT: number; SHUTDOWN_GRACE_MS: number },
  logger: Logger,
): Promise<string> {
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  onShutdownSignal(
    async () => {
      app.shuttingDown.value = true;
      await app.close();
    },
    logger,
    config.SHUTDOWN_GRACE_MS,
  );
  return address;
}
