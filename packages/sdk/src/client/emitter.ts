import type { ClientEvents } from './types.ts';

/** A tiny typed event emitter; a throwing handler does not stop the others. */
export class Emitter {
  private readonly handlers = new Map<keyof ClientEvents, Set<(...args: never[]) => void>>();

  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as (...args: never[]) => void);
    return () => set.delete(handler as (...args: never[]) => void);
  }

  emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const h of this.handlers.get(event) ?? []) {
      try {
        (h as unknown as (...a: Parameters<ClientEvents[K]>) => void)(...args);
      } catch {
        // A listener's failure is the listener's; delivery to the others goes on.
      }
    }
  }
}

/** Serialises async work (every change to MLS state goes through one queue). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
