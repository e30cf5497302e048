import { binaryPayload, binaryPayloadId } from '../../lib/payload.ts';
import { now } from '../../lib/clock.ts';
import { HttpClient } from '../../lib/http-client.ts';
import { NodeCeilingDriver } from './node-ceiling.ts';
import { openEventStream } from '../../lib/sse-client.ts';
import type { ConnectOptions, Endpoint, SystemInfo } from '../types.ts';
interface RelayEvent {
  message?: { ciphertext?: string };
}

/** Ceiling: minimal HTTP POST in, Server-Sent Events out (same wire shape as rchat's API). */
export class SseRelayDriver extends NodeCeilingDriver {
  constructor() {
    super(new URL('./sse-relay-server.mjs', import.meta.url));
  }

  readonly info: SystemInfo = {
    id: 'sse-relay',
    label: 'HTTP→SSE relay (ceiling)',
    kind: 'ceiling',
    version: `node ${process.version} http`,
    persisted: false,
    delivery: 'push',
    settings: {
      keepAlive: true,
      socketsPerSender: 8,
      bodyEncoding: 'JSON + base64',
      auth: 'none',
      storage: 'none',
      process: 'single Node.js process',
    },
  };
  private txn = 0;

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const origin = `http://127.0.0.1:${this.server.port}`;
    const stream = await openEventStream(`${origin}/events?user=${encodeURIComponent(user)}`, {
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      onEvent: (event) => {
        const parsed = JSON.parse(event.data) as RelayEvent;
        const ciphertext = parsed.message?.ciphertext;
        if (ciphertext !== undefined)
          options.onDelivery(binaryPayloadId(Buffer.from(ciphertext, 'base64')), now());
      },
      onError: (e) => this.errors.add(e),
    });
    let http: HttpClient | undefined;
    const client = (): HttpClient => (http ??= new HttpClient(origin, { maxSockets: 8 }));
    return {
      user,
      prepare: () => Promise.resolve(),
      send: (to, id, size) => {
        const body = {
          txnId: `t${(this.txn += 1)}`,
          ciphertext: binaryPayload(id, size).toString('base64'),
        };
        client()
          .json('POST', `/send?to=${encodeURIComponent(to)}`, body, [201])
          .catch((e: unknown) => this.errors.add(e));
      },
      close: async () => {
        await http?.close();
        stream.close();
      },
    };
  }
}
