import type { Command } from '../command.ts';
import { signedInClient } from '../session.ts';

export const signOutOthers: Command = {
  name: 'sign-out-others',
  synopsis: '',
  summary: 'sign out every other device of your account (they stay listed and may sign in again)',
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    const client = await signedInClient(await openHome());
    const n = await client.signOutOtherDevices();
    io.out(
      n === 0
        ? 'No other device was signed in.'
        : `Signed out ${n === 1 ? '1 other device' : `${n} other devices`}: each must sign in again. To cut one off for good, \`rchat remove-device <id>\`.`,
    );
    return 0;
  },
};
