import { RchatClient, RchatError, type ChatMessage } from '@rchat/sdk';
import { CliError, type Io } from './command.ts';
import { formatMessage } from './format.ts';
import { identityResetText } from './identity-texts.ts';
import { deliverOutbox } from './outbox.ts';
import type { Home } from './home.ts';
import { PeerNames } from './peer-names.ts';

/**
 * The clients this process opened: their message-backup entries are written before it exits (see
 * `flushBackups`).
 */
const opened = new Set<RchatClient>();

/** Remembers a client so `flushBackups` writes what it queued for the message backup. */
export function opening(client: RchatClient): RchatClient {
  opened.add(client);
  return client;
}

/**
 * Writes what the clients queued for the message backup (each decrypted or
 * sent message, otherwise written a moment later): a command that ends must
 * not take entries with it, or a restored device would miss those messages.
 */
export async function flushBackups(): Promise<void> {
  for (const client of opened) await client.flushBackup().catch(() => undefined);
  opened.clear();
}

/** The account this home is signed in to, or a CliError saying how to sign in. */
export async function signedInClient(home: Home): Promise<RchatClient> {
  const client = await RchatClient.restore(home.clientOptions);
  if (!client)
    throw new CliError(
      'Not signed in. Run `rchat login <username>`, or `rchat register <username>` for a new account.',
    );
  return opening(client);
}

/**
 * Brings this device up to date before a one-shot command: processes every
 * inbox entry since its cursor (joins conversations, applies key changes,
 * decrypts and stores messages), then closes the stream. Resolves with the
 * messages of others it decrypted, so the command can show them.
 */
export async function catchUp(client: RchatClient): Promise<ChatMessage[]> {
  await client.conversations(); // fails with the server's reason (unreachable, session ended) before the stream would retry silently
  const received: ChatMessage[] = [];
  const offMessage = client.on('message', (m) => {
    if (isIncoming(client, m)) received.push(m);
  });
  try {
    await startStream(client);
    await client.idle();
  } finally {
    offMessage();
    client.stop();
  }
  return received;
}

/**
 * `client.start()`, failing instead of retrying forever when the stream
 * cannot connect, or when the account's identity was reset (the SDK then
 * closes the stream for good).
 */
export async function startStream(client: RchatClient): Promise<void> {
  const offs: (() => void)[] = [];
  const lost = new Promise<never>((_, reject) => {
    offs.push(
      client.on('status', (status) => {
        if (status === 'reconnecting')
          reject(
            new RchatError(
              'NETWORK',
              'The live connection to the server failed; check the connection and try again.',
              0,
            ),
          );
      }),
      client.on('alert', (alert) => {
        if (alert.kind === 'account-identity-reset')
          reject(new CliError(identityResetText(client.username)));
      }),
    );
  });
  try {
    await Promise.race([client.start(), lost]);
  } finally {
    for (const off of offs) off();
  }
}

/**
 * A message of another account, or of this account from another device, as the server stored it.
 */
export const isIncoming = (client: RchatClient, m: ChatMessage) =>
  m.senderDeviceId !== client.deviceId && m.status === 'sent';

/**
 * `catchUp`, printing on stderr the messages of others it decrypted: a
 * command that is not about messages must not swallow them (the next `listen`
 * starts after them). Then sends what an earlier run left in the outbox.
 */
export async function catchUpAndShow(client: RchatClient, io: Io): Promise<void> {
  const names = new PeerNames(client);
  for (const m of await catchUp(client)) io.err(formatMessage(m, await names.of(m.senderUserId)));
  await deliverOutbox(client, io);
}
