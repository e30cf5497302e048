import { createConnection, type Socket } from 'node:net';
import { withTimeout } from '../../lib/clock.ts';
import { StanzaReader } from './stanza-reader.ts';
import { ScramSha1 } from './scram.ts';

export interface XmppLogin {
  host: string;
  port: number;
  domain: string;
  username: string;
  password: string;
  resource: string;
  /** In-band registration (XEP-0077) before authenticating; "already exists" is fine. */
  register?: boolean;
  localAddress?: string;
  /** Enable message carbons (XEP-0280) so every device of the user sees every message. */
  carbons?: boolean;
  timeoutMs?: number;
}

export const xmlEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');

const textOf = (xml: string, tag: string): string => {
  const match = new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml);
  return match?.[1] ?? '';
};

/** A raw-socket XMPP client connection: plaintext c2s on loopback, SCRAM-SHA-1, resource bind. */
export class XmppConnection {
  /** Set by the owner; receives every stanza after login. */
  onStanza: (xml: string) => void = () => undefined;
  private waiters: { match: (xml: string) => boolean; resolve: (xml: string) => void }[] = [];
  private ended = false;
  private readonly reader: StanzaReader;
  private ids = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly domain: string,
  ) {
    this.reader = new StanzaReader(
      (xml) => this.dispatch(xml),
      () => {
        this.ended = true;
        socket.end();
      },
    );
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.reader.push(chunk));
  }

  static async open(login: XmppLogin): Promise<XmppConnection> {
    const socket = createConnection({
      host: login.host,
      port: login.port,
      ...(login.localAddress !== undefined ? { localAddress: login.localAddress } : {}),
    });
    const conn = new XmppConnection(socket, login.domain);
    const failed = new Promise<never>((_, reject) => {
      socket.once('error', reject);
      socket.once('close', () =>
        reject(new Error(`connection closed during login of ${login.username}`)),
      );
    });
    failed.catch(() => undefined);
    await withTimeout(
      Promise.race([conn.login(login), failed]),
      login.timeoutMs ?? 60_000,
      `XMPP login ${login.username}@${login.domain}`,
    );
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.on('error', () => socket.destroy());
    return conn;
  }

  private dispatch(xml: string): void {
    const index = this.waiters.findIndex((w) => w.match(xml));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter?.resolve(xml);
      return;
    }
    this.onStanza(xml);
  }

  private next(match: (xml: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  private openStream(): Promise<string> {
    const features = this.next((x) => x.startsWith('<stream:features'));
    this.send(
      `<?xml version='1.0'?><stream:stream to='${this.domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
    );
    return features;
  }

  private async iq(body: string, type: 'set' | 'get' = 'set'): Promise<string> {
    const id = `q${(this.ids += 1)}`;
    const reply = this.next(
      (x) => x.startsWith('<iq') && (x.includes(`id='${id}'`) || x.includes(`id="${id}"`)),
    );
    this.send(`<iq type='${type}' id='${id}'>${body}</iq>`);
    return reply;
  }

  private async login(login: XmppLogin): Promise<void> {
    let features = await this.openStream();
    if (login.register === true) {
      const reply = await this.iq(
        `<query xmlns='jabber:iq:register'><username>${xmlEscape(login.username)}</username><password>${xmlEscape(login.password)}</password></query>`,
      );
      if (!/type=['"]result['"]/.test(reply) && !reply.includes('<conflict'))
        throw new Error(`registration of ${login.username} failed: ${reply}`);
    }
    if (!features.includes('SCRAM-SHA-1'))
      throw new Error(`server offers no SCRAM-SHA-1: ${features}`);
    const scram = new ScramSha1(login.username, login.password);
    const challenge = this.next((x) => x.startsWith('<challenge') || x.startsWith('<failure'));
    this.send(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${scram.first()}</auth>`,
    );
    const first = await challenge;
    if (first.startsWith('<failure'))
      throw new Error(`SASL failed for ${login.username}: ${first}`);
    const outcome = this.next((x) => x.startsWith('<success') || x.startsWith('<failure'));
    this.send(
      `<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(textOf(first, 'challenge'))}</response>`,
    );
    const result = await outcome;
    if (result.startsWith('<failure'))
      throw new Error(`SASL failed for ${login.username}: ${result}`);
    scram.verify(textOf(result, 'success'));
    features = await this.openStream();
    const bound = await this.iq(
      `<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${xmlEscape(login.resource)}</resource></bind>`,
    );
    if (!/type=['"]result['"]/.test(bound)) throw new Error(`bind failed: ${bound}`);
    if (
      features.includes('urn:ietf:params:xml:ns:xmpp-session') &&
      !features.includes('<optional')
    ) {
      await this.iq(`<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>`);
    }
    if (login.carbons === true) {
      const reply = await this.iq(`<enable xmlns='urn:xmpp:carbons:2'/>`);
      if (!/type=['"]result['"]/.test(reply)) throw new Error(`carbons not enabled: ${reply}`);
    }
    // Roster, then available presence (so messages to the bare JID reach this resource), as a
    // client logs in.
    await this.iq(`<query xmlns='jabber:iq:roster'/>`, 'get');
    this.send('<presence/>');
    // Barrier: the server handles a session's stanzas in order, so once this answer is back the
    // presence is in effect and messages to the bare JID will not go to offline storage.
    await this.iq(`<query xmlns='http://jabber.org/protocol/disco#info'/>`, 'get');
  }

  send(xml: string): void {
    if (!this.ended) this.socket.write(xml);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      const timer = setTimeout(() => this.socket.destroy(), 2000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.send('</stream:stream>');
      this.ended = true;
      this.socket.end();
    });
  }
}
