import { CliError, type Command } from '../command.ts';
import { printable } from '../format.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const removeDevice: Command = {
  name: 'remove-device',
  synopsis: '<id>',
  summary: 'sign out another of your devices and take it out of your conversations',
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [id = ''], openHome, io }) {
    const client = await signedInClient(await openHome());
    // Removing the device from each conversation is a commit: start from the current epochs.
    await catchUpAndShow(client, io);
    const device = (await client.devices()).find((d) => d.id === id.toLowerCase());
    if (!device)
      throw new CliError(
        `None of your devices has the id ${printable(id)}: \`rchat devices\` lists them.`,
      );
    if (device.current)
      throw new CliError(
        'That is this device: remove it from another of your devices, or sign out here with `rchat logout`.',
      );
    await client.removeDevice(device.id);
    io.out(
      `Removed ${printable(device.name)} (${device.id}): it is signed out, and it cannot read anything sent in your conversations from now on.`,
    );
    return 0;
  },
};
