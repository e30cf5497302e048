/**
 * A task that must succeed eventually, such as reading what a service missed
 * from another service that may be starting too: `run()` tries it once (its
 * promise settles after that first try) and, while it fails, again in the
 * background after 1 s, 2 s, 4 s … at most 30 s. Another `run()` starts afresh.
 */
export class RetryingTask {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onFailure: (err: unknown, retryInMs: number) => void,
  ) {}

  async run(attempt = 0): Promise<void> {
    clearTimeout(this.timer);
    try {
      await this.task();
    } catch (err) {
      const retryInMs = Math.min(30_000, 1_000 * 2 ** attempt);
      this.onFailure(err, retryInMs);
      this.timer = setTimeout(() => void this.run(attempt + 1), retryInMs);
      this.timer.unref();
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
