import { RchatClient } from '@rchat/sdk';
import type { Command } from '../command.ts';
import { readPassword } from '../password.ts';
import { printRecoveryKey } from '../recovery-key.ts';
import { opening } from '../session.ts';

export const register: Command = {
  name: 'register',
  synopsis: '<username>',
  summary: "create an account, with this device's keys; shows the recovery key once",
  options: ['password-stdin'],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], settings, openHome, io }) {
    const home = await openHome();
    const password = await readPassword(settings, io, { confirm: true });
    const client = opening(await RchatClient.register(home.clientOptions, username, password));
    await home.rememberServer();
    io.out(`Registered ${client.username} on ${home.server}. This device's keys are in ${home.dir}; they never leave it.`);
    printRecoveryKey(client, io);
    return 0;
  },
};
