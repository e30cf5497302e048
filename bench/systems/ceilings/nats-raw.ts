import { connect, type NatsConnection } from 'nats';
import { binaryPayload, binaryPayloadId } from '../../lib/payload.ts';
import { now } from '../../lib/clock.ts';
import { pidsByComm } from '../../lib/proc.ts';
import { ErrorLog } from '../../lib/node-server.ts';
import { packageVersion } from '../../lib/versions.ts';
import type { ConnectOptions, Endpoint, SystemDriver, SystemInfo } from '../types.ts';

export const NATS_URL = process.env.BENCH_NATS_URL ?? '127.0.0.1:4222';

/** Ceiling: raw NATS core pub/sub, one connection per device, one subject per user. */
export class NatsRawDriver implements SystemDriver {
  readonly info: SystemInfo = {
    id: 'nats-raw',
    label: 'raw NATS pub/sub (ceiling)',
    kind: 'ceiling',
    version: '?',
    persisted: false,
    delivery: 'push',
    settings: {
      server: NATS_URL,
      mode: 'core pub/sub (no JetStream)',
      client: `nats.js ${packageVersion('nats')}`,
      note: 'shared machine server, not started by the harness',
    },
  };
  // No idle row: a NATS subscription is not a client's connection to a chat server (and the suite
  // stays under 15 minutes).
  readonly supports = { fanout: true, idle: false };
  private readonly errors = new ErrorLog();
  private readonly prefix = `bench.${process.pid}.${Date.now().toString(36)}`;

  async start(): Promise<void> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: NATS_URL, timeout: 3000 });
    } catch (e) {
      throw new Error(`NATS not reachable at ${NATS_URL}: ${(e as Error).message}`);
    }
    this.info.version = `nats-server ${nc.info?.version ?? '?'}`;
    await nc.close();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  users(prefix: string, count: number): Promise<string[]> {
    return Promise.resolve(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
  }

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const nc = await connect({ servers: NATS_URL, noEcho: true, pingInterval: 120_000 });
    nc.subscribe(`${this.prefix}.${user}`, {
      callback: (err, msg) => {
        if (err !== null) this.errors.add(err);
        else options.onDelivery(binaryPayloadId(msg.data), now());
      },
    });
    await nc.flush();
    return {
      user,
      prepare: () => Promise.resolve(),
      send: (to, id, size) => nc.publish(`${this.prefix}.${to}`, binaryPayload(id, size)),
      close: () => nc.close(),
    };
  }

  serverPids(): number[] {
    return pidsByComm('nats-server');
  }

  takeErrors(): string[] {
    return this.errors.take();
  }
}
