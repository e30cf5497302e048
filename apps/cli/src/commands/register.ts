import { RchatClient } from '@rchat/sdk';
import type { Command } from '../command.ts';
import { readPassword } from '../password.ts';
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
    const recoveryKey = client.takeRecoveryKey();
    if (recoveryKey) {
      io.out('');
      io.out('Your recovery key; write it down now and keep it somewhere safe:');
      io.out('');
      io.out(`    ${recoveryKey}`);
      io.out('');
      io.out(`It restores your account and your message history on a new device (\`rchat restore ${client.username}\`) if this one is lost.`);
      io.out('It is shown only now: rchat keeps no copy, and no one can show it to you again.');
      io.out('(`rchat set-passphrase` adds a passphrase you can remember that does the same.)');
    }
    return 0;
  },
};
