import type { Command } from '../command.ts';
import { formatTime } from '../format.ts';
import { identityChangedNotice } from '../identity-texts.ts';
import { catchUpAndShow, signedInClient } from '../session.ts';

export const conversations: Command = {
  name: 'conversations',
  synopsis: '',
  summary: 'your conversations, most recent first, with unread counts',
  options: [],
  args: { min: 0, max: 0 },
  async run({ openHome, io }) {
    const client = await signedInClient(await openHome());
    await catchUpAndShow(client, io);
    const list = await client.conversations();
    if (list.length === 0)
      io.err('No conversations yet: `rchat send <username> <text>` starts one.');
    const width = Math.max(0, ...list.map((c) => c.peer.username.length));
    for (const c of list) {
      const unread = c.unreadCount > 0 ? `${c.unreadCount} unread` : 'read';
      const keys = c.peer.deleted
        ? '  (deleted their account)'
        : c.encryption === 'ready'
          ? ''
          : c.encryption === 'identity-changed'
            ? `  (${identityChangedNotice(c)})`
            : '  (waiting for encryption keys)';
      io.out(
        `${c.peer.username.padEnd(width)}  ${unread.padEnd(10)}  last ${formatTime(Date.parse(c.lastActivityAt))}${keys}`,
      );
    }
    return 0;
  },
};
