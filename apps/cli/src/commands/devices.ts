import type { Command } from '../command.ts';
import { formatTime, printable } from '../format.ts';
import { signedInClient } from '../session.ts';

export const devices: Command = {
  name: 'devices',
  synopsis: '',
  summary: "your account's devices: name, id, created, last seen",
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    const client = await signedInClient(await openHome());
    const rows = (await client.devices()).map((d) => [printable(d.name), d.id, formatTime(Date.parse(d.createdAt)), formatTime(Date.parse(d.lastSeenAt)), d.current ? '(this device)' : '']);
    const table = [['name', 'id', 'created', 'last seen', ''], ...rows];
    const widths = table[0]?.map((_, column) => Math.max(...table.map((row) => row[column]?.length ?? 0))) ?? [];
    for (const row of table) io.out(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
    return 0;
  },
};
