import { NatsRawDriver } from './ceilings/nats-raw.ts';
import { PgInsertDriver } from './ceilings/pg-insert.ts';
import { SseRelayDriver } from './ceilings/sse-relay.ts';
import { WsRelayDriver } from './ceilings/ws-relay.ts';
import { RchatDriver, type RchatOptions } from './rchat.ts';
import { RchatScaledDriver } from './rchat-scaled.ts';
import { XmppDriver } from './xmpp/driver.ts';
import { EjabberdServer } from './xmpp/ejabberd.ts';
import { ProsodyServer } from './xmpp/prosody.ts';
import type { SystemDriver } from './types.ts';

/**
 * c2s ports; relay and persisted variants differ, as one may still hold idle connections while the
 * other starts.
 */
const PROSODY_PORTS = { relay: 15222, persisted: 15223 };
const EJABBERD_PORTS = { relay: 25222, persisted: 25223 };

/** Every system the suite knows, in run order. */
export function allDrivers(rchat: RchatOptions): SystemDriver[] {
  return [
    new RchatDriver(rchat),
    new RchatScaledDriver(),
    new XmppDriver(new ProsodyServer(PROSODY_PORTS.relay, false), 'prosody-relay', false),
    new XmppDriver(new ProsodyServer(PROSODY_PORTS.persisted, true), 'prosody-persisted', true),
    new XmppDriver(new EjabberdServer(EJABBERD_PORTS.relay, false), 'ejabberd-relay', false),
    new XmppDriver(new EjabberdServer(EJABBERD_PORTS.persisted, true), 'ejabberd-persisted', true),
    new WsRelayDriver(),
    new SseRelayDriver(),
    new NatsRawDriver(),
    new PgInsertDriver(),
  ];
}
