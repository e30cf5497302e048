import type { OnDelivery } from '../systems/types.ts';

export type TaggedDelivery = (id: number, at: number, tag: number) => void;

/**
 * Endpoints are connected once per scenario with a fixed callback; the
 * router forwards deliveries to whatever measurement loop is running now.
 * The tag tells which endpoint (pair index, device) received.
 */
export class DeliveryRouter {
  private target: TaggedDelivery = () => undefined;
  private nextId = 1;

  handler(tag: number): OnDelivery {
    return (id, at) => this.target(id, at, tag);
  }

  route(target: TaggedDelivery): void {
    this.target = target;
  }

  /** Fresh message id (unique for the whole process, fits in 32 bits). */
  id(): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    return id;
  }
}
