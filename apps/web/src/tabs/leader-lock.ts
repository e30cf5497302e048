/**
 * One lock per browser profile and origin: the tab holding it is the only one running the account's
 * client.
 */
export const LEADER_LOCK_NAME = 'rchat-account';
/**
 * Held by a tab while it moves the account to itself ("Use here", or signing in): the tabs that get
 * the leader lock meanwhile pass it on.
 */
export const HEIR_LOCK_NAME = 'rchat-account-heir';

/**
 * Leader election with the Web Locks API. A tab waits in line for the lock
 * for its whole life; the browser hands it to the next tab in line when the
 * holder releases it or its tab closes or reloads. Nothing ever takes the
 * lock from a holder: a holder stops its client before it releases.
 */
export class LeaderLock {
  private release_: (() => void) | null = null;
  private waiting = false;

  constructor(
    private readonly locks: LockManager,
    private readonly onAcquired: () => void,
  ) {}

  get held(): boolean {
    return this.release_ !== null;
  }

  /** Waits in line for the lock (does nothing while already waiting or holding it). */
  queue(): void {
    if (this.waiting || this.held) return;
    this.waiting = true;
    this.locks
      .request(LEADER_LOCK_NAME, () => {
        this.waiting = false;
        const held = new Promise<void>((resolve) => (this.release_ = resolve));
        this.onAcquired();
        return held;
      })
      .catch(() => {
        this.waiting = false;
      });
  }

  /** Lets the next tab in line have it. */
  release(): void {
    const release = this.release_;
    this.release_ = null;
    release?.();
  }
}
