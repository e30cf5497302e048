import { minPassphraseLength, passphraseProblem } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { SecretInput } from '../password.ts';
import { signedInClient } from '../session.ts';

export const setPassphrase: Command = {
  name: 'set-passphrase',
  synopsis: '',
  summary: `a passphrase (${minPassphraseLength} characters or more) that restores the account like the recovery key`,
  options: ['password-stdin'],
  args: { min: 0, max: 0 },
  async run({ settings, openHome, io }) {
    const client = await signedInClient(await openHome());
    const passphrase = await new SecretInput(settings, io).secret('Passphrase', { confirm: true });
    const problem = passphraseProblem(passphrase);
    if (problem) throw new CliError(problem);
    await client.setPassphrase(passphrase);
    io.out(
      `Passphrase set (it replaces any earlier one): \`rchat restore ${client.username} --passphrase\` brings your account and message history back on a new device with it, like the recovery key.`,
    );
    return 0;
  },
};
