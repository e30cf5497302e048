import { tabClosed, tabUnavailable } from './tab-error.ts';
import { fromWireError, type WireError } from './tab-messages.ts';

/**
 * How long a tab waits for the leader to take a call (or for any leader to exist) before it says
 * none answered.
 */
export const ANSWER_TIMEOUT_MS = 15_000;

/**
 * Reads that may run again in the next leader when the tab asked went away mid-call. Anything else
 * is not repeated: it may have happened.
 */
const repeatable = new Set([
  'start',
  'conversations',
  'history',
  'searchUsers',
  'safetyNumber',
  'conversationDevices',
  'devices',
]);

/**
 * Where calls go: this tab's own client, the leader tab, or nowhere yet (no leader, or one handing
 * over).
 */
export type CallTarget =
  | { kind: 'local' }
  | { kind: 'remote'; leaderId: string }
  | { kind: 'none' };

interface PendingCall {
  id: number;
  method: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** The leader tab it was sent to (null while waiting for one). */
  sentTo: string | null;
  /** The leader said it started the call. */
  started: boolean;
  /** A leader that answered `moved`: wait for another one. */
  movedFrom: string | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The calls of this tab's UI, each routed to whichever tab holds the account
 * now. A call sent to a leader that goes away is sent again to the next one if
 * it never started or only reads; otherwise it fails with `TAB_CLOSED`. No call
 * waits forever for a leader that does not answer.
 */
export class CallRouter {
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private target: CallTarget = { kind: 'none' };

  constructor(
    private readonly send: (to: string, id: number, method: string, args: unknown[]) => void,
    private readonly runLocal: (method: string, args: unknown[]) => Promise<unknown>,
  ) {}

  call(method: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const call: PendingCall = {
        id: this.nextId++,
        method,
        args,
        resolve,
        reject,
        sentTo: null,
        started: false,
        movedFrom: null,
        timer: undefined,
      };
      this.pending.set(call.id, call);
      this.dispatch(call);
    });
  }

  /** The leader changed (or this tab became it, or there is none for now). */
  setTarget(target: CallTarget): void {
    this.target = target;
    const leader = target.kind === 'remote' ? target.leaderId : null;
    for (const call of [...this.pending.values()]) {
      if (call.sentTo === null) this.dispatch(call);
      else if (call.sentTo !== leader) {
        // The tab that had it is no longer the leader.
        if (call.started && !repeatable.has(call.method))
          this.settle(call, () => call.reject(tabClosed()));
        else this.dispatch({ ...call, sentTo: null, started: false });
      }
    }
  }

  onAck(id: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    call.started = true;
    clearTimeout(call.timer);
  }

  /** The leader did not run it (it is handing over): the next leader will. */
  onMoved(id: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    call.movedFrom = call.sentTo;
    call.sentTo = null;
  }

  onResult(
    id: number,
    result: { ok: true; value: unknown } | { ok: false; error: WireError },
  ): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.settle(call, () =>
      result.ok ? call.resolve(result.value) : call.reject(fromWireError(result.error)),
    );
  }

  private dispatch(call: PendingCall): void {
    this.pending.set(call.id, call);
    clearTimeout(call.timer);
    const target = this.target;
    if (target.kind === 'local') {
      call.sentTo = null;
      this.pending.delete(call.id);
      this.runLocal(call.method, call.args).then(call.resolve, call.reject);
      return;
    }
    call.timer = setTimeout(
      () => this.settle(call, () => call.reject(tabUnavailable())),
      ANSWER_TIMEOUT_MS,
    );
    if (target.kind === 'remote' && target.leaderId !== call.movedFrom) {
      call.sentTo = target.leaderId;
      this.send(target.leaderId, call.id, call.method, call.args);
    }
  }

  private settle(call: PendingCall, finish: () => void): void {
    clearTimeout(call.timer);
    if (this.pending.delete(call.id)) finish();
  }
}
