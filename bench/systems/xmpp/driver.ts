import { now } from '../../lib/clock.ts';
import { ErrorLog } from '../../lib/node-server.ts';
import { textPayload } from '../../lib/payload.ts';
import type { ConnectOptions, Endpoint, SystemDriver, SystemInfo } from '../types.ts';
import { XmppConnection, type XmppLogin } from './connection.ts';
import type { XmppServer } from './server.ts';

const PASSWORD = 'bench-password-0123';
const ID_PATTERN = /\sid=['"]rb-(\d+)['"]/;
const REGISTER_CONCURRENCY = 8;

/** Any XMPP server behind the common driver interface, driven by the raw-socket client. */
export class XmppDriver implements SystemDriver {
  readonly info: SystemInfo;
  readonly supports: { fanout: boolean; idle: boolean };
  private readonly errors = new ErrorLog();
  private readonly registered = new Set<string>();

  constructor(
    private readonly server: XmppServer,
    id: string,
    persisted: boolean,
  ) {
    this.info = {
      id,
      label: `${server.software} ${persisted ? 'persisted (MAM)' : 'relay'}`,
      kind: 'peer',
      version: '?',
      persisted,
      delivery: 'push',
      settings: {
        ...server.settings,
        client: 'raw-socket XMPP client (bench/systems/xmpp)',
        messageType: 'chat to bare JID',
      },
    };
    // Idle-connection memory does not depend on archiving: measured on the relay variant only.
    this.supports = { fanout: true, idle: !persisted };
  }

  async start(): Promise<void> {
    this.registered.clear();
    this.info.version = `${this.server.software} ${await this.server.version()}`;
    await this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private login(user: string, extra: Partial<XmppLogin>): XmppLogin {
    return {
      host: '127.0.0.1',
      port: this.server.port,
      domain: this.server.domain,
      username: user,
      password: PASSWORD,
      resource: 'r0',
      ...extra,
    };
  }

  /** Registers missing accounts in-band (XEP-0077), a few at a time. */
  async users(prefix: string, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const todo = names.filter((n) => !this.registered.has(n));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const name = todo[next++] as string;
        const conn = await XmppConnection.open(this.login(name, { register: true }));
        await conn.close();
        this.registered.add(name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(REGISTER_CONCURRENCY, todo.length) }, worker));
    return names;
  }

  async connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const conn = await XmppConnection.open(
      this.login(user, {
        resource: `d${options.device}`,
        carbons: options.multiDevice === true,
        ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      }),
    );
    conn.onStanza = (xml) => {
      if (!xml.startsWith('<message')) return;
      const head = xml.slice(0, xml.indexOf('>'));
      if (/type=['"]error['"]/.test(head)) {
        this.errors.add(`message error: ${xml.slice(0, 300)}`);
        return;
      }
      const match = ID_PATTERN.exec(xml);
      if (match?.[1] !== undefined) options.onDelivery(Number(match[1]), now());
    };
    const domain = this.server.domain;
    return {
      user,
      prepare: () => Promise.resolve(),
      send: (to, id, size) =>
        conn.send(
          `<message to='${to}@${domain}' id='rb-${id}' type='chat'><body>${textPayload(id, size)}</body></message>`,
        ),
      close: () => conn.close(),
    };
  }

  serverPids(): number[] {
    return this.server.pids();
  }

  takeErrors(): string[] {
    return this.errors.take();
  }
}
