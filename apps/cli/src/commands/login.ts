import { RchatClient, RchatError } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { opening } from '../session.ts';
import { beginSignIn } from '../sign-in.ts';

export const login: Command = {
  name: 'login',
  synopsis: '<username>',
  summary: 'sign in again on this device (the one that holds your keys)',
  options: ['password-stdin'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const begun = await beginSignIn(ctx);
    if (!begun) return 0;
    const { home, username, password } = begun;
    const client = await RchatClient.login(home.clientOptions, username, password).catch(
      (e: unknown) => {
        if (e instanceof RchatError && e.code === 'NEW_DEVICE') {
          const name = username.toLowerCase();
          throw new CliError(
            `The password is right, but this is a new device for ${name}: ${home.dir} holds no keys for it. ` +
              `Link it from a device where you are signed in: \`rchat link ${name}\` here, then \`rchat link-device <code>\` there. ` +
              `Or restore it from your recovery key: \`rchat restore ${name}\`. ` +
              `(If you registered on this computer, sign in with that --home or RCHAT_HOME instead.)`,
          );
        }
        throw e;
      },
    );
    opening(client);
    await home.rememberServer();
    ctx.io.out(`Signed in as ${client.username} on ${home.server}.`);
    return 0;
  },
};
