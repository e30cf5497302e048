import { now, sleep } from '../lib/clock.ts';
import type { DeliveryRouter } from './delivery-router.ts';
import type { Pair } from './sessions.ts';

export interface LoopResult {
  /** Latency samples (ms) of measured messages. */
  samples: number[];
  /** Messages completed inside the measurement window. */
  completed: number;
  windowMs: number;
  sent: number;
  /** Measured messages that never completed (bounded wait). */
  lost: number;
  stalled: boolean;
}

interface Pending {
  at: number;
  pair: number;
  left: number;
  seen: number;
  measured: boolean;
}

const STALL_MS = 5000;

export interface LoopOptions {
  inflight: number;
  size: number;
  /** Deliveries that complete one message (devices of the recipient). */
  copies?: number;
  /** Count mode: measured messages per pair, after `warmupMessages`... */
  messages?: number;
  warmupMessages?: number;
  /** ...but stop offering after `maxMs` (slow systems). */
  maxMs?: number;
  /** Longest wait for a backlog to clear after a stalled run. */
  settleMaxMs?: number;
  /** Duration mode. */
  warmupMs?: number;
  measureMs?: number;
}

/**
 * Closed loop: each pair keeps `inflight` messages outstanding and sends the
 * next one when one completes (all `copies` delivered, e.g. to 3 devices).
 * Either `messages` per pair (after `warmupMessages`), or for `measureMs` after `warmupMs`.
 */
export async function closedLoop(
  router: DeliveryRouter,
  pairs: readonly Pair[],
  opts: LoopOptions,
): Promise<LoopResult> {
  const result = await runClosedLoop(router, pairs, opts);
  if (result.stalled || result.lost > 0) await settle(router, 300, opts.settleMaxMs);
  return result;
}

function runClosedLoop(
  router: DeliveryRouter,
  pairs: readonly Pair[],
  opts: LoopOptions,
): Promise<LoopResult> {
  const copies = opts.copies ?? 1;
  const pending = new Map<number, Pending>();
  const samples: number[] = [];
  const sentPerPair = new Array<number>(pairs.length).fill(0);
  const countMode = opts.messages !== undefined;
  const perPair = (opts.warmupMessages ?? 0) + (opts.messages ?? 0);
  let completed = 0;
  let sent = 0;
  let lastProgress = now();
  let measuring = countMode ? false : (opts.warmupMs ?? 0) === 0;
  let sending = true;
  let windowStart = measuring ? now() : 0;
  let windowEnd = Number.POSITIVE_INFINITY;

  return new Promise((resolve) => {
    const finish = (stalled: boolean): void => {
      clearInterval(watchdog);
      router.route(() => undefined);
      let lost = 0;
      for (const p of pending.values()) if (p.measured) lost += 1;
      const end = Math.min(now(), windowEnd);
      resolve({
        samples,
        completed,
        windowMs: countMode ? end - windowStart : windowEnd - windowStart,
        sent,
        lost,
        stalled,
      });
    };
    const startedAt = now();
    const send = (pairIndex: number): void => {
      const pair = pairs[pairIndex] as Pair;
      const index = sentPerPair[pairIndex] ?? 0;
      if (
        countMode &&
        (index >= perPair || (opts.maxMs !== undefined && now() - startedAt > opts.maxMs))
      ) {
        sentPerPair[pairIndex] = perPair; // done offering on this pair
        return;
      }
      sentPerPair[pairIndex] = index + 1;
      const id = router.id();
      const measured = countMode ? index >= (opts.warmupMessages ?? 0) : measuring;
      if (countMode && measured && windowStart === 0) windowStart = now();
      pending.set(id, { at: now(), pair: pairIndex, left: copies, seen: 0, measured });
      sent += 1;
      pair.from.send(pair.to.user, id, opts.size);
    };
    router.route((id, at, tag) => {
      const p = pending.get(id);
      if (p === undefined) return;
      if (copies > 1) {
        const bit = 1 << (tag & 31);
        if ((p.seen & bit) !== 0) return;
        p.seen |= bit;
      }
      p.left -= 1;
      if (p.left > 0) return;
      pending.delete(id);
      lastProgress = at;
      if (p.measured) samples.push(at - p.at);
      // Throughput: every completion inside the window, whenever the message was sent.
      if (at >= windowStart && at <= windowEnd && (measuring || countMode)) completed += 1;
      if (sending) send(p.pair);
      if (countMode && pending.size === 0 && sentPerPair.every((n) => n >= perPair)) finish(false);
      if (!sending && pending.size === 0) finish(false);
    });
    const watchdog = setInterval(() => {
      if (now() - lastProgress > STALL_MS) finish(true);
    }, 250);
    if (!countMode) {
      const warmup = opts.warmupMs ?? 0;
      setTimeout(() => {
        measuring = true;
        windowStart = now();
        setTimeout(() => {
          windowEnd = now();
          sending = false;
          // In-flight measured messages still complete (for their latency); bounded by the
          // watchdog.
          if (pending.size === 0) finish(false);
        }, opts.measureMs ?? 1000);
      }, warmup);
    }
    for (let i = 0; i < pairs.length; i += 1) for (let k = 0; k < opts.inflight; k += 1) send(i);
  });
}

/**
 * Open loop at a fixed offered rate: message i is scheduled at t0 + i/rate
 * (round-robin over pairs) and its latency is measured from the scheduled
 * time, so a slow system cannot slow the load down (no coordinated omission).
 */
export async function openLoop(
  router: DeliveryRouter,
  pairs: readonly Pair[],
  opts: { rate: number; durationMs: number; drainMs: number; size: number; settleMaxMs: number },
): Promise<LoopResult & { sendLagP99: number; saturated: boolean }> {
  const pending = new Map<number, number>();
  const samples: number[] = [];
  const lags: number[] = [];
  const interval = 1000 / opts.rate;
  const total = Math.floor((opts.durationMs * opts.rate) / 1000);
  let completed = 0;
  const t0 = now() + 5;
  const windowEnd = t0 + opts.durationMs;
  router.route((id, at) => {
    const scheduled = pending.get(id);
    if (scheduled === undefined) return;
    pending.delete(id);
    samples.push(at - scheduled);
    if (at <= windowEnd + interval) completed += 1;
  });
  let i = 0;
  let saturated = false;
  while (i < total) {
    const t = now();
    if (pending.size > Math.max(50, opts.rate / 2)) {
      // Over 0.5 s of offered load outstanding: the system is saturated. Stop offering
      // (unsent messages count as lost) so the backlog stays bounded.
      saturated = true;
      break;
    }
    const due = Math.min(total, Math.floor((t - t0) / interval) + 1);
    while (i < due) {
      const scheduled = t0 + i * interval;
      const pair = pairs[i % pairs.length] as Pair;
      const id = router.id();
      pending.set(id, scheduled);
      lags.push(now() - scheduled);
      pair.from.send(pair.to.user, id, opts.size);
      i += 1;
    }
    await sleep(1);
  }
  const deadline = now() + opts.drainMs;
  while (pending.size > 0 && now() < deadline) await sleep(5);
  const lost = pending.size + (total - i);
  if (lost > 0) await settle(router, 300, opts.settleMaxMs);
  else router.route(() => undefined);
  lags.sort((a, b) => a - b);
  return {
    samples,
    completed,
    windowMs: opts.durationMs,
    sent: total,
    lost,
    stalled: false,
    sendLagP99: lags[Math.floor(lags.length * 0.99)] ?? 0,
    saturated,
  };
}

/**
 * Waits until the system has been quiet (no deliveries) for `quietMs`, at
 * most `maxMs`, so a backlog left by one run does not load the next one.
 */
export async function settle(router: DeliveryRouter, quietMs = 300, maxMs = 10_000): Promise<void> {
  let last = now();
  router.route(() => {
    last = now();
  });
  const deadline = now() + maxMs;
  while (now() - last < quietMs && now() < deadline) await sleep(20);
  router.route(() => undefined);
}
