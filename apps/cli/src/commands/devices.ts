import type { RchatClient } from '@rchat/sdk';
import type { Command, Io } from '../command.ts';
import { conversationWith } from '../conversation-with.ts';
import { formatTime, printable } from '../format.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

/** Columns padded to their widest cell. */
function printTable(io: Io, table: string[][]): void {
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of table)
    io.out(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

async function accountDevices(client: RchatClient, io: Io): Promise<void> {
  const rows = (await client.devices()).map((d) => [
    printable(d.name),
    d.id,
    formatTime(Date.parse(d.createdAt)),
    formatTime(Date.parse(d.lastSeenAt)),
    d.current ? '(this device)' : '',
  ]);
  printTable(io, [['name', 'id', 'created', 'last seen', ''], ...rows]);
}

/**
 * Every device that can read the conversation with `username`: the other person's first, then this
 * account's.
 */
async function conversationDevices(client: RchatClient, username: string, io: Io): Promise<void> {
  await catchUpAndShow(client, io);
  const conversation = await conversationWith(client, username);
  const devices = await client.conversationDevices(conversation.id);
  const ordered = [...devices].sort(
    (a, b) =>
      Number(a.userId === client.userId) - Number(b.userId === client.userId) ||
      Number(b.current) - Number(a.current),
  );
  const rows = ordered.map((d) => [
    d.username,
    printable(d.name ?? '(no name)'),
    d.addedAt ? formatTime(Date.parse(d.addedAt)) : 'unknown',
    d.fingerprint,
    d.current ? '(this device)' : '',
  ]);
  printTable(io, [['user', 'device', 'added', 'key fingerprint', ''], ...rows]);
}

export const devices: Command = {
  name: 'devices',
  synopsis: '[<username>]',
  summary:
    "your account's devices (name, id, created, last seen); with a username, every device that can read your conversation with them",
  options: [],
  args: { min: 0, max: 1 },
  async run({ args: [username], openHome, io }) {
    const client = await signedInClient(await openHome());
    if (username === undefined) await accountDevices(client, io);
    else await conversationDevices(client, username, io);
    return 0;
  },
};
