import { RchatError, type ChatConversation, type RchatClient } from '@rchat/sdk';
import { CliError, type Command, type Io } from '../command.ts';
import { printable } from '../format.ts';
import { identityChangedRefusal } from '../identity-texts.ts';
import { deliverOutbox, notSent, QUEUED_NOTICE } from '../outbox.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const send: Command = {
  name: 'send',
  synopsis: '<username> <text…>',
  summary:
    'send a message (starts the conversation if needed; queued until the next run if the server cannot be reached)',
  options: [],
  args: { min: 2, max: Infinity },
  async run({ args: [username = '', ...words], openHome, io }) {
    const client = await signedInClient(await openHome());
    const conversation = await conversationFor(client, username, io);
    // Refused here with the way out; the SDK refuses too (IDENTITY_CHANGED), should the state
    // change in between.
    if (conversation.encryption === 'identity-changed')
      throw new CliError(identityChangedRefusal(conversation));
    const queued = await client
      .sendText(conversation.id, words.join(' '))
      .catch(async (e: unknown) => {
        throw await explained(client, conversation, e);
      });
    // Written to this device's outbox: it is sent now, or by a later run.
    const left = await deliverOutbox(client, io, queued.clientMsgId);
    const mine = left === null ? queued : left.find((m) => m.clientMsgId === queued.clientMsgId);
    if (!mine || mine.status === 'sent' || mine.status === 'sending') return 0; // `sending` after a flush: the server holds it, the inbox confirms it
    if (mine.status === 'failed') {
      await client.discard(mine.clientMsgId);
      if (mine.failure?.code === 'IDENTITY_CHANGED')
        throw await explained(
          client,
          conversation,
          new RchatError('IDENTITY_CHANGED', mine.failure.message, 0),
        );
      throw new CliError(`${notSent(mine, conversation.peer.username)} Nothing is queued.`);
    }
    io.err(QUEUED_NOTICE);
    return 0;
  },
};

/**
 * The conversation with `username`: from the server (started if needed),
 * after catching up; or, when the server cannot be reached, the one this
 * device knows, so the message is queued.
 */
async function conversationFor(
  client: RchatClient,
  username: string,
  io: Io,
): Promise<ChatConversation> {
  const name = username.toLowerCase();
  try {
    await catchUpAndShow(client, io);
  } catch (e) {
    if (!(e instanceof RchatError && e.code === 'NETWORK')) throw e;
    const known = (await client.knownConversations()).find((c) => c.peer.username === name);
    if (!known)
      throw new CliError(
        `${e.message} This device has no conversation with ${printable(name)} to queue the message in, so nothing was queued.`,
      );
    if (known.peer.deleted)
      throw new CliError(
        `${known.peer.username} deleted their account: messages can no longer be sent to them.`,
      );
    return known;
  }
  const gone = (await client.conversations()).find(
    (c) => c.peer.deleted && c.peer.username === name,
  );
  if (gone)
    throw new CliError(
      `${gone.peer.username} deleted their account: messages can no longer be sent to them.`,
    );
  return client.startConversation({ username });
}

async function explained(
  client: RchatClient,
  conversation: ChatConversation,
  e: unknown,
): Promise<unknown> {
  if (!(e instanceof RchatError && e.code === 'IDENTITY_CHANGED')) return e;
  const now =
    (await client.conversations().catch(() => [])).find((c) => c.id === conversation.id) ??
    conversation;
  return new CliError(identityChangedRefusal(now));
}
