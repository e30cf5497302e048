import { RchatApi, RchatClient, RchatError } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { readPassword } from '../password.ts';
import { printRecoveryKey } from '../recovery-key.ts';
import { opening } from '../session.ts';

export const register: Command = {
  name: 'register',
  synopsis: '<username> [--invite CODE]',
  summary: "create an account, with this device's keys; shows the recovery key once",
  options: ['password-stdin', 'invite'],
  args: { min: 1, max: 1 },
  async run({ args: [username = ''], invite, settings, openHome, io }) {
    const home = await openHome();
    // The server's registration policy first, so nobody types a password twice for nothing.
    const { registration } = await new RchatApi({ baseUrl: home.server }).wellKnown();
    if (registration === 'closed')
      throw new CliError(`${home.server} does not accept new accounts. Ask its operator for one.`);
    if (registration === 'invite' && !invite)
      throw new CliError(
        `${home.server} accepts new accounts only with an invite code from its operator: rchat register ${username} --invite <code>`,
      );
    const password = await readPassword(settings, io, { confirm: true });
    try {
      const client = opening(
        await RchatClient.register(
          home.clientOptions,
          username,
          password,
          registration === 'invite' && invite ? { inviteCode: invite } : {},
        ),
      );
      await home.rememberServer();
      io.out(
        `Registered ${client.username} on ${home.server}. This device's keys are in ${home.dir}; they never leave it.`,
      );
      printRecoveryKey(client, io);
      return 0;
    } catch (e) {
      if (e instanceof RchatError && e.code === 'REGISTRATION_CLOSED') {
        throw new CliError(
          registration === 'invite'
            ? `${home.server} refused the invite code: ${e.message} Check the code with the operator.`
            : `${home.server} refused the registration: ${e.message}`,
        );
      }
      throw e;
    }
  },
};
