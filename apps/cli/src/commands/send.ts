import { RchatError } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { identityChangedRefusal } from '../identity-texts.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const send: Command = {
  name: 'send',
  synopsis: '<username> <text…>',
  summary: 'send a message (starts the conversation if needed)',
  options: [],
  args: { min: 2, max: Infinity },
  async run({ args: [username = '', ...words], openHome, io }) {
    const client = await signedInClient(await openHome());
    await catchUpAndShow(client, io);
    const gone = (await client.conversations()).find((c) => c.peer.deleted && c.peer.username === username.toLowerCase());
    if (gone) throw new CliError(`${gone.peer.username} deleted their account: messages can no longer be sent to them.`);
    const conversation = await client.startConversation({ username });
    // Refused here with the way out; the SDK refuses too (IDENTITY_CHANGED), should the state change in between.
    if (conversation.encryption === 'identity-changed') throw new CliError(identityChangedRefusal(conversation));
    const sent = await client.sendText(conversation.id, words.join(' ')).catch(async (e: unknown) => {
      if (e instanceof RchatError && e.code === 'IDENTITY_CHANGED') {
        const now = (await client.conversations()).find((c) => c.id === conversation.id) ?? conversation;
        throw new CliError(identityChangedRefusal(now));
      }
      throw e;
    });
    if (sent.status !== 'sent') throw new CliError(`The message to ${conversation.peer.username} was not sent: the server could not be reached or refused it. Send it again.`);
    return 0;
  },
};
