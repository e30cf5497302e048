import { NatsRawDriver } from './ceilings/nats-raw.ts';
import { PgInsertDriver } from './ceilings/pg-insert.ts';
import { SseRelayDriver } from './ceilings/sse-relay.ts';
import { WsRelayDriver } from './ceilings/ws-relay.ts';
import { RchatDriver, type RchatOptions } from './rchat.ts';
import { XmppDriver } from './xmpp/driver.ts';
import { EjabberdServer } from './xmpp/ejabberd.ts';
import { ProsodyServer } from './xmpp/prosody.ts';
import type { SystemDriver } from './types.ts';

export const PROSODY_PORT = 15222;
export const EJABBERD_PORT = 25222;

/** Every system the suite knows, in run order. */
export function allDrivers(rchat: RchatOptions): SystemDriver[] {
  return [
    new RchatDriver(rchat),
    new XmppDriver(new ProsodyServer(PROSODY_PORT, false), 'prosody-relay', false),
    new XmppDriver(new ProsodyServer(PROSODY_PORT, true), 'prosody-persisted', true),
    new XmppDriver(new EjabberdServer(EJABBERD_PORT, false), 'ejabberd-relay', false),
    new XmppDriver(new EjabberdServer(EJABBERD_PORT, true), 'ejabberd-persisted', true),
    new WsRelayDriver(),
    new SseRelayDriver(),
    new NatsRawDriver(),
    new PgInsertDriver(),
  ];
}
