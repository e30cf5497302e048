import type { ClientEvents } from '../client/chat-client.ts';

type Handler = (...args: never[]) => void;

/** The client events this tab's UI listens to, whichever tab's client emitted them. */
export class EventRelay {
  private readonly handlers = new Map<keyof ClientEvents, Set<Handler>>();

  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    const set = this.handlers.get(event) ?? new Set<Handler>();
    this.handlers.set(event, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  emit(event: keyof ClientEvents, args: unknown[]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])])
      (handler as (...a: unknown[]) => void)(...args);
  }
}
