import type { Command } from '../command.ts';
import { signedInClient } from '../session.ts';

export const users: Command = {
  name: 'users',
  synopsis: '<prefix>',
  summary: 'find people by the start of their username',
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [prefix = ''], openHome, io }) {
    const client = await signedInClient(await openHome());
    const found = await client.searchUsers(prefix, 50);
    if (found.length === 0) io.err(`No one else's username starts with "${prefix}".`);
    for (const user of found) io.out(user.username);
    return 0;
  },
};
