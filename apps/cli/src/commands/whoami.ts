import type { Command } from '../command.ts';
import { signedInClient } from '../session.ts';

export const whoami: Command = {
  name: 'whoami',
  synopsis: '',
  summary: 'who is signed in on this device',
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    // Reads only, so it takes no lock: it may run beside a `listen` on the same home.
    const home = await openHome({ lock: false });
    const client = await signedInClient(home);
    io.out(`${client.username} on ${home.server}`);
    return 0;
  },
};
