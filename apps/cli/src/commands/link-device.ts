import type { Command } from '../command.ts';
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
    // Confirming adds the device to every conversation with a commit: start from the current epochs.
    await catchUpAndShow(client, io);
    const pending = await client.linkDevice(code);
    const name = printable(pending.deviceName);
    io.out(`Check code: ${pending.checkCode}`);
    io.out(`New device: ${name} (${pending.deviceId})`);
    const stop = stopSignal();
    const answer = await ask(io, 'Do both devices show the same check code? [y/N] ', stop.signal).finally(() => stop.release());
    if (!/^y(es)?$/i.test(answer)) {
      await pending.abort();
      io.err('Not linked: nothing was shared with the new device.');
      return 1;
    }
    const { conversations } = await pending.confirm();
    io.out(`Linked ${name}; added it to ${conversations} conversation${conversations === 1 ? '' : 's'}.`);
    return 0;
  },
};
