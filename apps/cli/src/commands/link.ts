import { RchatClient, type NewDeviceLink } from '@rchat/sdk';
import { CliError, type Command, type Io } from '../command.ts';
import { formatTime } from '../format.ts';
import { ask } from '../question.ts';
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
    // With --password-stdin the answer to the check code is the line after the password.
    const answer = ctx.settings.passwordStdin
      ? () => begun.input.secret('Answer to the check code question', { confirm: false })
      : (signal: AbortSignal) => ask(io, QUESTION, signal);
    const client = opening(await linked(pending, io, answer));
    await home.rememberServer();
    io.out(
      `Linked: this device is signed in as ${client.username} on ${home.server}, with the account's keys and the message history from the backup.`,
    );
    for (const warning of client.backupWarnings) io.err(`warning: ${warning}`);
    return 0;
  },
};

const QUESTION = 'Do the check codes match? [y/N] ';

/**
 * Waits for the other device, shows the check code and asks whether the other
 * device shows the same; only after a `y` may the keys arrive. `n` (or no
 * answer) stops the link on both devices; Ctrl-C (or any failure) cancels.
 * Either way no device is left behind.
 */
async function linked(
  pending: NewDeviceLink<RchatClient>,
  io: Io,
  answer: (signal: AbortSignal) => Promise<string>,
): Promise<RchatClient> {
  const stop = stopSignal();
  try {
    io.err('Waiting for the other device… (Ctrl-C cancels)');
    const checkCode = await pending.waitForCheckCode(stop.signal);
    io.out(`Check code: ${checkCode} — compare it with the code on your other device.`);
    // Listening while the person compares: if the other device cancels meanwhile, the question
    // ends.
    const completion = pending.complete(stop.signal);
    const ended = new AbortController();
    completion.catch(() => ended.abort());
    const reply = await answer(AbortSignal.any([stop.signal, ended.signal]));
    if (ended.signal.aborted) return await completion;
    if (stop.signal.aborted) throw cancelled();
    if (!/^y(es)?$/i.test(reply)) {
      await pending.reject();
      throw new CliError(
        /^no?$/i.test(reply)
          ? 'Not linked: the check codes differ, so nothing was shared and this device is not signed in. Someone else may have answered its code; start again.'
          : 'Not linked: the check code was not confirmed, so nothing was shared and this device is not signed in.',
      );
    }
    await pending.confirmCheckCode();
    io.err('Waiting for your other device to confirm too and send the keys…');
    return await completion;
  } catch (e) {
    await pending.cancel();
    if (stop.signal.aborted) throw cancelled();
    throw e;
  } finally {
    stop.release();
  }
}

const cancelled = () =>
  new CliError('Linking was cancelled: nothing was shared, and this device is not signed in.', 130);
