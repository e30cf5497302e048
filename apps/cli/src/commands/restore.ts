import { RchatClient, RchatError } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { opening } from '../session.ts';
import { beginSignIn } from '../sign-in.ts';

export const restore: Command = {
  name: 'restore',
  synopsis: '<username> [--passphrase]',
  summary: 'make this a new device of your account from your recovery key (or backup passphrase)',
  options: ['password-stdin', 'passphrase'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const { passphrase, io } = ctx;
    const begun = await beginSignIn(ctx);
    if (!begun) return 0;
    const { home, username, input, password } = begun;
    const secret = (
      await input.secret(passphrase ? 'Passphrase' : 'Recovery key', { confirm: false })
    ).trim();
    const unlock = passphrase ? { passphrase: secret } : { recoveryKey: secret };
    const client = await RchatClient.restoreFromRecoveryKey(
      home.clientOptions,
      username,
      password,
      unlock,
    ).catch((e: unknown) => {
      if (!(e instanceof RchatError)) throw e;
      if (e.code === 'RECOVERY_KEY_WRONG')
        throw new CliError(
          `${e.message} Nothing was changed: check it against what you wrote down and try again.`,
        );
      if (e.code === 'BACKUP_NOT_FOUND')
        throw new CliError(
          `${username.toLowerCase()} has no key backup to restore from: link this device from one where you are signed in instead (\`rchat link ${username.toLowerCase()}\`).`,
        );
      throw e;
    });
    opening(client);
    await home.rememberServer();
    io.out(
      `Restored ${client.username} on ${home.server}: this device has the account's keys and the message history from the backup.`,
    );
    io.out(
      "Your conversations' other devices add this one to each conversation as they come online; until then, new messages there cannot be read here.",
    );
    for (const warning of client.backupWarnings) io.err(`warning: ${warning}`);
    return 0;
  },
};
