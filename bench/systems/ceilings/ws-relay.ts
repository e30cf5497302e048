import WebSocket from 'ws';
import { binaryPayload, binaryPayloadId } from '../../lib/payload.ts';
import { now } from '../../lib/clock.ts';
import { NodeCeilingDriver } from './node-ceiling.ts';
import { packageVersion } from '../../lib/versions.ts';
import type { ConnectOptions, Endpoint, SystemInfo } from '../types.ts';

/** Ceiling: a minimal Node.js `ws` relay, no auth and no storage. */
export class WsRelayDriver extends NodeCeilingDriver {
  constructor() {
    super(new URL('./ws-relay-server.mjs', import.meta.url));
  }

  // No idle row: scenario 5's ceiling is the SSE relay (the transport rchat uses); one fewer 60 s
  // wait keeps the suite under 15 minutes.
  override readonly supports = { fanout: true, idle: false };
  readonly info: SystemInfo = {
    id: 'ws-relay',
    label: 'ws relay (ceiling)',
    kind: 'ceiling',
    version: `node ${process.version}, ws ${packageVersion('ws')}`,
    persisted: false,
    delivery: 'push',
    settings: {
      perMessageDeflate: false,
      tcpNoDelay: true,
      auth: 'none',
      storage: 'none',
      process: 'single Node.js process',
    },
  };

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const ws = new WebSocket(
      `ws://127.0.0.1:${this.server.port}/?user=${encodeURIComponent(user)}`,
      {
        perMessageDeflate: false,
        ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      },
    );
    ws.binaryType = 'nodebuffer';
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', (e) => this.errors.add(e));
    ws.on('message', (data: Buffer) => options.onDelivery(binaryPayloadId(data), now()));
    const headers = new Map<string, Buffer>();
    return {
      user,
      prepare: () => Promise.resolve(),
      send: (to, id, size) => {
        let head = headers.get(to);
        if (head === undefined) {
          const name = Buffer.from(to, 'utf8');
          head = Buffer.concat([Buffer.from([name.length]), name]);
          headers.set(to, head);
        }
        ws.send(Buffer.concat([head, binaryPayload(id, size)]), { binary: true });
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    };
  }
}
