import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { nkeys } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, openBus, type Bus, type BusSettings } from '@rchat/server-kit';
import { loadChatConfig } from '@rchat/chat';
import { loadDeliveryConfig } from '@rchat/delivery';
import { loadUsersConfig } from '@rchat/users';
import { NatsServer } from './nats-server.ts';

/**
 * The bus of the scaled-out deployment signs every connection in: a real
 * nats-server (the Debian package's binary) runs deploy/nats.conf, and the
 * services' own config variables carry the credentials to the connection.
 */

const passwords = {
  users: 'usersbuspasswordqwertz',
  chat: 'chatbuspasswordasdfgh',
  delivery: 'deliverybuspasswordyxcv',
};
const wrongPassword = 'chatbuspasswordWRONGxx';
const dir = mkdtempSync(join(tmpdir(), 'rchat-bus-auth-'));
let logs = '';
const logger = createLogger({
  level: 'debug',
  name: 'bus-auth-test',
  destination: new Writable({
    write: (chunk: Buffer, _enc, cb) => ((logs += chunk.toString()), cb()),
  }),
});
const servers: NatsServer[] = [];
const buses: Bus[] = [];

/** Starts nats-server with a config file; resolves with its URL once it accepts connections. */
async function startNats(config: string, env: Record<string, string> = {}): Promise<string> {
  const server = await NatsServer.start({ config, env });
  servers.push(server);
  return server.url;
}

async function open(settings: BusSettings, name: string): Promise<Bus> {
  const bus = await openBus(settings, name, logger);
  buses.push(bus);
  return bus;
}

/**
 * Subscribes on `subscriber`, publishes from each publisher in turn, and returns what arrived once
 * the last publisher's event is in.
 */
async function received(subscriber: Bus, publishers: Bus[]): Promise<unknown[]> {
  const subject = `rchat.inbox.${Math.random().toString(36).slice(2)}`;
  const got: unknown[] = [];
  subscriber.subscribe(subject, (e) => got.push(e));
  await subscriber.flush();
  for (const [i, publisher] of publishers.entries()) {
    publisher.publish(subject, { from: i });
    await publisher.flush().catch(() => {});
  }
  const last = { from: publishers.length - 1 };
  const deadline = Date.now() + 5_000;
  while (!got.some((e) => JSON.stringify(e) === JSON.stringify(last)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  return got;
}

let url = '';
const serviceEnv = (name: keyof typeof passwords, password = passwords[name]) => ({
  NATS_URL: url,
  NATS_USER: name,
  NATS_PASSWORD: password,
});

beforeAll(async () => {
  url = await startNats(join(import.meta.dirname, '../../deploy/nats.conf'), {
    RCHAT_NATS_USERS_PASSWORD: passwords.users,
    RCHAT_NATS_CHAT_PASSWORD: passwords.chat,
    RCHAT_NATS_DELIVERY_PASSWORD: passwords.delivery,
  });
});

afterAll(async () => {
  for (const bus of buses) await bus.close().catch(() => {});
  for (const server of servers) await server.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the bus with deploy/nats.conf', () => {
  it("carries events between services that sign in with their own config's NATS_USER and NATS_PASSWORD", async () => {
    const users = await open(loadUsersConfig(serviceEnv('users')), 'users');
    const chat = await open(loadChatConfig(serviceEnv('chat')), 'chat');
    const delivery = await open(loadDeliveryConfig(serviceEnv('delivery')), 'delivery');
    expect(await received(delivery, [chat])).toEqual([{ from: 0 }]);
    expect(await received(chat, [users])).toEqual([{ from: 0 }]);
  });

  it('refuses a connection without credentials or with a wrong password, saying so without the password', async () => {
    await expect(open({ NATS_URL: url }, 'anonymous')).rejects.toThrow(
      /^Could not connect to NATS at nats:\/\/127\.0\.0\.1:\d+ without credentials \(set NATS_USER and NATS_PASSWORD, or NATS_NKEY_SEED_FILE\): .*Authorization Violation/i,
    );
    const failure = await open(loadChatConfig(serviceEnv('chat', wrongPassword)), 'chat').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toMatch(
      /^Could not connect to NATS at .* as user "chat" \(NATS_USER\/NATS_PASSWORD\): .*Authorization Violation/i,
    );
    // A service that cannot start logs the error with its cause, as main.ts's caller would.
    logger.fatal({ err: failure }, 'could not open the bus');
    // The password of another service does not open this one's account either.
    await expect(
      open(loadChatConfig(serviceEnv('chat', passwords.delivery)), 'chat'),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it('does not let delivery publish: an event it sends never reaches the other services', async () => {
    const chat = await open(loadChatConfig(serviceEnv('chat')), 'chat');
    const delivery = await open(loadDeliveryConfig(serviceEnv('delivery')), 'delivery');
    const users = await open(loadUsersConfig(serviceEnv('users')), 'users');
    // delivery publishes first, then chat; only chat's event arrives.
    expect(await received(users, [delivery, chat])).toEqual([{ from: 1 }]);
  });

  it('never writes a password to the logs, a refused one included', () => {
    expect(logs).toContain('could not open the bus');
    for (const password of [...Object.values(passwords), wrongPassword])
      expect(logs).not.toContain(password);
  });
});

describe('the bus with an nkey', () => {
  it('signs in with the seed in NATS_NKEY_SEED_FILE and is refused with another nkey', async () => {
    type Pair = { getSeed(): Uint8Array; getPublicKey(): string };
    const { createUser } = nkeys as { createUser(): Pair };
    const allowed = createUser();
    const other = createUser();
    const config = join(dir, 'nkey.conf');
    writeFileSync(config, `authorization { users = [ { nkey: ${allowed.getPublicKey()} } ] }\n`);
    const nkeyUrl = await startNats(config);
    const seedFile = (pair: Pair, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, `${new TextDecoder().decode(pair.getSeed())}\n`, { mode: 0o600 });
      return file;
    };
    const chat = await open(
      loadChatConfig({ NATS_URL: nkeyUrl, NATS_NKEY_SEED_FILE: seedFile(allowed, 'chat.nk') }),
      'chat',
    );
    const delivery = await open(
      loadDeliveryConfig({
        NATS_URL: nkeyUrl,
        NATS_NKEY_SEED_FILE: seedFile(allowed, 'delivery.nk'),
      }),
      'delivery',
    );
    expect(await received(delivery, [chat])).toEqual([{ from: 0 }]);
    await expect(
      open(
        loadChatConfig({ NATS_URL: nkeyUrl, NATS_NKEY_SEED_FILE: seedFile(other, 'other.nk') }),
        'chat',
      ),
    ).rejects.toThrow(
      /^Could not connect to NATS at .* with the nkey in NATS_NKEY_SEED_FILE: .*Authorization Violation/i,
    );
    expect(logs).not.toContain(new TextDecoder().decode(allowed.getSeed()));
  });
});
