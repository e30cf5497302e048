import type { Command } from '../command.ts';
import { formatMessage } from '../format.ts';
import { PeerNames } from '../peer-names.ts';
import { ReadMarkers } from '../read-markers.ts';
import { isIncoming, signedInClient } from '../session.ts';
import { runLive } from '../connection.ts';

export const listen: Command = {
  name: 'listen',
  synopsis: '',
  summary: 'print messages as they arrive, until Ctrl-C (first those that came while away)',
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    const home = await openHome();
    const client = await signedInClient(home);
    const names = new PeerNames(client);
    await names.load();
    const read = new ReadMarkers(client);
    let printing = Promise.resolve();
    client.on('message', (m) => {
      if (!isIncoming(client, m)) return;
      printing = printing.then(async () => {
        io.out(formatMessage(m, await names.of(m.senderUserId)));
        read.mark(m.conversationId, m.seq);
      });
    });
    client.on('warning', (w) => io.err(`warning: ${w.message}`)); // security alerts: see runLive
    client.on('devices', (change) => {
      printing = printing.then(async () => {
        const peer = names.peerOf(change.conversationId);
        // Named by the device's owner; which conversation, when that is not the other person.
        const where = async (userId: string) =>
          (await names.of(userId)) === peer || !peer ? '' : ` to the conversation with ${peer}`;
        for (const d of change.added.filter((d) => d.deviceId !== client.deviceId)) {
          io.err(
            `notice: ${await names.of(d.userId)} added a device${await where(d.userId)}; messages there are now encrypted to it too.`,
          );
        }
        for (const d of change.removed)
          io.err(
            `notice: ${await names.of(d.userId)} removed a device${await where(d.userId)}; it can no longer read what is sent there.`,
          );
      });
    });
    client.on('accountDeleted', (e) =>
      io.err(
        `notice: ${e.username} deleted their account; their devices were removed from the conversation and nothing more can be sent to them.`,
      ),
    );
    try {
      await runLive(client, io, `Listening as ${client.username} on ${home.server}. Ctrl-C stops.`);
    } finally {
      await printing;
      await read.settled();
    }
    return 0;
  },
};
