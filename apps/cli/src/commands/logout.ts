import type { Command } from '../command.ts';
import { RchatClient } from '@rchat/sdk';

export const logout: Command = {
  name: 'logout',
  synopsis: '',
  summary: 'sign out (the keys stay on this device)',
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    const home = await openHome();
    const client = await RchatClient.restore(home.clientOptions);
    if (!client) {
      io.err('Not signed in.');
      return 0;
    }
    await client.logout();
    io.out(
      `Signed out ${client.username}. The keys stay in ${home.dir}: \`rchat login ${client.username}\` signs in again.`,
    );
    return 0;
  },
};
