import { constants } from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** How many steps are listening for a stop right now (see `stopSignal`, `untilStopped`). */
let listening = 0;

/**
 * Installed once by `rchat` itself: a Ctrl-C (or SIGTERM) that no step is
 * waiting for ends the process with the shell's code (130 for Ctrl-C)
 * instead of killing it by the signal. So a second Ctrl-C during an orderly
 * shutdown ends it at once, and one arriving between steps still exits cleanly.
 */
export function exitOnUnhandledStop(): void {
  for (const name of STOP_SIGNALS) {
    process.on(name, (signal: NodeJS.Signals) => {
      if (listening === 0) process.exit(128 + constants.signals[signal]);
    });
  }
}

/**
 * Listens for the first stop signal until `release()` (or that signal); the step then shuts down in
 * order.
 */
function listen(onStop: (signal: NodeJS.Signals) => void): () => void {
  let active = true;
  const stop = (signal: NodeJS.Signals) => {
    release();
    onStop(signal);
  };
  const release = () => {
    if (!active) return;
    active = false;
    listening--;
    for (const name of STOP_SIGNALS) process.off(name, stop);
  };
  listening++;
  for (const name of STOP_SIGNALS) process.on(name, stop);
  return release;
}

/**
 * Resolves on the first Ctrl-C (SIGINT) or SIGTERM; the process then shuts down in order instead of
 * dying.
 */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => listen(resolve));
}

/**
 * An AbortSignal that fires on the first Ctrl-C or SIGTERM, while a step may be cancelled;
 * `release()` stops listening.
 */
export function stopSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const release = listen(() => controller.abort());
  return { signal: controller.signal, release };
}
