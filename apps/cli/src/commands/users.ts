import { USER_SEARCH_MIN_LENGTH } from '@rchat/sdk';
import { CliError, USAGE, type Command } from '../command.ts';
import { signedInClient } from '../session.ts';

export const users: Command = {
  name: 'users',
  synopsis: '<prefix>',
  summary: `find people by the start of their username (at least ${USER_SEARCH_MIN_LENGTH} characters)`,
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [given = ''], openHome, io }) {
    const prefix = given.trim().toLowerCase();
    if (prefix.length < USER_SEARCH_MIN_LENGTH)
      throw new CliError(
        `Type at least ${USER_SEARCH_MIN_LENGTH} characters of a username to search (got "${prefix}").`,
        USAGE,
      );
    const client = await signedInClient(await openHome());
    const found = await client.searchUsers(prefix, 50);
    if (found.length === 0) io.err(`No one else's username starts with "${prefix}".`);
    for (const user of found) io.out(user.username);
    return 0;
  },
};
