import type { Command } from '../command.ts';
import { identityChangedNotice } from '../identity-texts.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const safetyNumber: Command = {
  name: 'safety-number',
  synopsis: '<username>',
  summary: 'the number to compare with someone to know no one is in the middle',
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], openHome, io }) {
    const client = await signedInClient(await openHome());
    await catchUpAndShow(client, io);
    const conversation = await client.startConversation({ username });
    const peer = conversation.peer.username;
    const info = await client.safetyNumber(conversation.id);
    if (conversation.encryption === 'identity-changed')
      io.err(
        `WARNING: ${identityChangedNotice(conversation)} Compare this number with ${peer} first.`,
      );
    else if (info.identityKeyChanged)
      io.err(
        `WARNING: ${peer}'s identity key changed since this device first saw it. Until you have compared the new number, someone may be reading along.`,
      );
    io.out(`Safety number with ${peer}:`);
    const blocks = info.formatted.split(' ');
    for (let i = 0; i < blocks.length; i += 3) io.out(`  ${blocks.slice(i, i + 3).join(' ')}`);
    io.out(
      info.verified
        ? `You marked ${peer} as verified.`
        : `Compare it with ${peer} in person or over a channel you trust: if both of you see the same number, your messages are encrypted to each other and no one else.`,
    );
    return 0;
  },
};
