import { RchatClient, type NewDeviceLink } from '@rchat/sdk';
import { CliError, type Command, type Io } from '../command.ts';
import { formatTime } from '../format.ts';
import { opening } from '../session.ts';
import { beginSignIn } from '../sign-in.ts';
import { stopSignal } from '../signals.ts';

export const link: Command = {
  name: 'link',
  synopsis: '<username>',
  summary: 'make this a new device of your account: shows a code to type on a signed-in device',
  options: ['password-stdin'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const begun = await beginSignIn(ctx);
    if (!begun) return 0;
    const { home, username, password } = begun;
    const io = ctx.io;
    const pending = await RchatClient.startLink(home.clientOptions, username, password);
    io.out(`Link code: ${pending.code}`);
    io.out(
      `On a device where you are signed in, run \`rchat link-device ${pending.code}\` (in the web app: Devices, then Link a new device). ` +
        `The code works until ${formatTime(Date.parse(pending.expiresAt))}.`,
    );
    const client = opening(await linked(pending, io));
    await home.rememberServer();
    io.out(`Linked: this device is signed in as ${client.username} on ${home.server}, with the account's keys and the message history from the backup.`);
    for (const warning of client.backupWarnings) io.err(`warning: ${warning}`);
    return 0;
  },
};

/** Waits for the other device: shows the check code, then the keys arrive. Ctrl-C (or any failure) cancels, leaving no device behind. */
async function linked(pending: NewDeviceLink<RchatClient>, io: Io): Promise<RchatClient> {
  const stop = stopSignal();
  try {
    io.err('Waiting for the other device… (Ctrl-C cancels)');
    const checkCode = await pending.waitForCheckCode(stop.signal);
    io.out(`Check code: ${checkCode} — it must match the code on your other device; press Ctrl-C to cancel if it does not.`);
    return await pending.complete(stop.signal);
  } catch (e) {
    await pending.cancel();
    if (stop.signal.aborted) throw new CliError('Linking was cancelled: nothing was shared, and this device is not signed in.', 130);
    throw e;
  } finally {
    stop.release();
  }
}
