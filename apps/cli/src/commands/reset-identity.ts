import { RchatClient, RchatError } from '@rchat/sdk';
import { CliError, type Command, type CommandContext } from '../command.ts';
import type { Home } from '../home.ts';
import { SecretInput } from '../password.ts';
import { printRecoveryKey } from '../recovery-key.ts';
import { opening } from '../session.ts';
import { stopSignal } from '../signals.ts';

/**
 * A home still holding the account's current identity needs no reset (one that a reset elsewhere
 * signed out does).
 */
async function refuseIfThisDeviceHoldsIt(home: Home, username: string): Promise<void> {
  const current = await RchatClient.restore(home.clientOptions);
  if (current?.username !== username) return;
  const signedOut = await current.conversations().then(
    () => false,
    (e: unknown) => e instanceof RchatError && e.code === 'IDENTITY_RESET',
  );
  if (!signedOut) {
    throw new CliError(
      `This device is signed in as ${username} and holds its encryption identity: there is nothing to reset. A reset is only for when every device and the recovery key are lost.`,
    );
  }
}

export const resetIdentity: Command = {
  name: 'reset-identity',
  synopsis: '<username>',
  summary:
    'lost every device and the recovery key: a new encryption identity (contacts are told; old messages stay unreadable)',
  options: ['password-stdin'],
  args: { min: 1, max: 1 },
  async run(ctx: CommandContext) {
    const { settings, io } = ctx;
    const username = (ctx.args[0] ?? '').toLowerCase();
    const home = await ctx.openHome();
    await refuseIfThisDeviceHoldsIt(home, username);
    io.err(`Resetting the encryption identity of ${username}:`);
    io.err('  - signs out every other device of the account at once;');
    io.err(
      '  - tells everyone you talk to that your identity was reset: they cannot send to you until they accept the new one',
    );
    io.err('    (they should compare safety numbers with you first);');
    io.err('  - does not bring old messages back: they were encrypted to keys that are gone;');
    io.err('  - makes a new recovery key: the old one and the backup passphrase stop working.');
    io.err(
      'Do it only if you have lost every device where you are signed in and the recovery key.',
    );
    const input = new SecretInput(settings, io);
    const password = await input.password({ confirm: false });
    const stop = stopSignal();
    const answer = await input
      .answer(`Type "reset" to reset the encryption identity of ${username}: `, stop.signal)
      .finally(() => stop.release());
    if (answer.toLowerCase() !== 'reset') {
      io.err('Not reset: nothing was changed.');
      return 1;
    }
    const client = opening(await RchatClient.resetIdentity(home.clientOptions, username, password));
    await home.rememberServer();
    io.out(
      `Reset the encryption identity of ${client.username} on ${home.server}: this is now its only device, and your other devices were signed out.`,
    );
    io.out(
      'Your contacts see that your identity was reset; each must accept it before your conversation works again. Compare safety numbers with them.',
    );
    printRecoveryKey(client, io);
    return 0;
  },
};
