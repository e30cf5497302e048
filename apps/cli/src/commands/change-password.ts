import type { Command } from '../command.ts';
import { SecretInput } from '../password.ts';
import { signedInClient } from '../session.ts';

export const changePassword: Command = {
  name: 'change-password',
  synopsis: '',
  summary: 'change your password; every other device is signed out',
  options: ['password-stdin'],
  args: { min: 0, max: 0 },
  async run({ settings, openHome, io }) {
    const client = await signedInClient(await openHome());
    const secrets = new SecretInput(settings, io);
    const current = await secrets.password({ confirm: false });
    const next = await secrets.secret('New password', { confirm: true });
    const signedOut = await client.changePassword(current, next);
    const others =
      signedOut === 0
        ? 'No other device was signed in.'
        : `${signedOut === 1 ? '1 other device was' : `${signedOut} other devices were`} signed out: they sign in again with the new password.`;
    io.out(`Password changed. ${others} This device stays signed in.`);
    return 0;
  },
};
