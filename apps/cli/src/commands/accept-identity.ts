import type { Command } from '../command.ts';
import { conversationWith } from '../conversation-with.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const acceptIdentity: Command = {
  name: 'accept-identity',
  synopsis: '<username>',
  summary:
    "after someone's encryption identity changed: trust the new one, so messages can be sent again",
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], openHome, io }) {
    const client = await signedInClient(await openHome());
    // Accepting adds their current devices with a commit: start from the current epoch.
    await catchUpAndShow(client, io);
    const conversation = await conversationWith(client, username);
    const peer = conversation.identityChange?.username ?? conversation.peer.username;
    if (conversation.encryption !== 'identity-changed') {
      io.out(`Nothing to accept: ${peer}'s encryption identity has not changed.`);
      return 0;
    }
    await client.acceptIdentityChange(conversation.id);
    io.out(
      `Accepted ${peer}'s new encryption identity: messages to ${peer} are encrypted to their current devices again.`,
    );
    io.out(
      `\`rchat safety-number ${peer}\` shows the new safety number to compare, and \`rchat devices ${peer}\` the devices that can read the conversation.`,
    );
    return 0;
  },
};
