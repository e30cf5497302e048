import { CliError, type Command } from '../command.ts';
import { SecretInput } from '../password.ts';
import { ask } from '../question.ts';
import { signedInClient } from '../session.ts';

export const deleteAccount: Command = {
  name: 'delete-account',
  synopsis: '[--yes]',
  summary: 'delete your account for good (asks for the password, then y/N unless --yes)',
  options: ['password-stdin', 'yes'],
  args: { min: 0, max: 0 },
  async run({ settings, yes, openHome, io }) {
    const client = await signedInClient(await openHome());
    if (!yes) {
      // Standard input holds the password with --password-stdin, so it cannot also hold the answer.
      if (settings.passwordStdin)
        throw new CliError('With --password-stdin, add --yes to confirm the deletion.');
      io.err(
        `This deletes the account ${client.username} for good: every device is signed out, your keys and backups are erased from the server, and the people you talk to see that you deleted your account. The username stays reserved.`,
      );
      const answer = await ask(io, `Delete ${client.username}? [y/N] `);
      if (!/^y(es)?$/i.test(answer)) throw new CliError('Nothing was deleted.');
    }
    const password = await new SecretInput(settings, io).password({ confirm: false });
    await client.deleteAccount(password);
    io.out(`Deleted the account ${client.username}. Its keys on this device were erased too.`);
    return 0;
  },
};
