import { RchatClient, RchatError } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { readPassword } from '../password.ts';

export const login: Command = {
  name: 'login',
  synopsis: '<username>',
  summary: 'sign in again on this device (the one that holds your keys)',
  options: ['password-stdin'],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], settings, openHome, io }) {
    const home = await openHome();
    const current = await RchatClient.restore(home.clientOptions);
    if (current?.username === username.toLowerCase()) {
      io.out(`Already signed in as ${current.username} on ${home.server}.`);
      return 0;
    }
    const password = await readPassword(settings, io, { confirm: false });
    const client = await RchatClient.login(home.clientOptions, username, password).catch((e: unknown) => {
      if (e instanceof RchatError && e.code === 'NEW_DEVICE') {
        throw new CliError(
          `The password is right, but this is a new device for ${username}: ${home.dir} holds no keys for it. ` +
            `Messages are encrypted to the keys made when the account was registered, and they never leave that device: ` +
            `sign in with the --home (or RCHAT_HOME) you registered with.`,
        );
      }
      throw e;
    });
    await home.rememberServer();
    io.out(`Signed in as ${client.username} on ${home.server}.`);
    return 0;
  },
};
