import { RchatClient } from '@rchat/sdk';
import type { CommandContext } from './command.ts';
import type { Home } from './home.ts';
import { SecretInput } from './password.ts';

/**
 * How login, link and restore (`rchat <command> <username>`) begin: the
 * home (locked), then the password. Null (after saying so) when the home is
 * signed in as that user already: there is nothing to do. `input` reads the
 * secrets asked for next.
 */
export async function beginSignIn(
  ctx: CommandContext,
): Promise<{ home: Home; username: string; input: SecretInput; password: string } | null> {
  const username = ctx.args[0] ?? '';
  const home = await ctx.openHome();
  const current = await RchatClient.restore(home.clientOptions);
  if (current?.username === username.toLowerCase()) {
    ctx.io.out(`Already signed in as ${current.username} on ${home.server}.`);
    return null;
  }
  const input = new SecretInput(ctx.settings, ctx.io);
  return { home, username, input, password: await input.password({ confirm: false }) };
}
