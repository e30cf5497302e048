import type { ExistingDeviceLink } from '@rchat/sdk';
import { CliError, type Command, type Io } from '../command.ts';
import { printable } from '../format.ts';
import { ask } from '../question.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';
import { stopSignal } from '../signals.ts';

export const linkDevice: Command = {
  name: 'link-device',
  synopsis: '<code>',
  summary: 'give a new device (running `rchat link`) your account: type the code it shows',
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [code = ''], openHome, io }) {
    const client = await signedInClient(await openHome());
    // Confirming adds the device to every conversation with a commit: start from the current
    // epochs.
    await catchUpAndShow(client, io);
    const pending = await client.linkDevice(code);
    const name = printable(pending.deviceName);
    io.out(`Check code: ${pending.checkCode}`);
    io.out(`New device: ${name} (${pending.deviceId})`);
    const stop = stopSignal();
    const answer = await ask(
      io,
      'Do both devices show the same check code? [y/N] ',
      stop.signal,
    ).finally(() => stop.release());
    if (!/^y(es)?$/i.test(answer)) {
      await pending.abort();
      io.err('Not linked: nothing was shared with the new device.');
      return 1;
    }
    const { conversations } = await confirmed(pending, io);
    io.out(
      `Linked ${name}; added it to ${conversations} conversation${conversations === 1 ? '' : 's'}.`,
    );
    return 0;
  },
};

/**
 * Waits for the new device's person to confirm too; only then are the keys sent. Ctrl-C while
 * waiting cancels, and nothing is sent.
 */
async function confirmed(pending: ExistingDeviceLink, io: Io): Promise<{ conversations: number }> {
  io.err('Waiting for the new device to confirm… (Ctrl-C cancels)');
  const waiting = stopSignal();
  waiting.signal.addEventListener('abort', () => void pending.abort().catch(() => undefined), {
    once: true,
  });
  try {
    return await pending.confirm({
      onNewDeviceConfirmed: () => {
        waiting.release();
        io.err('The new device confirmed: sending it the keys…');
      },
    });
  } catch (e) {
    if (waiting.signal.aborted)
      throw new CliError('Not linked: cancelled, and nothing was shared with the new device.', 130);
    throw e;
  } finally {
    waiting.release();
  }
}
