import type { ChatMessage, RchatClient } from '@rchat/sdk';
import type { Io } from './command.ts';
import { printable } from './format.ts';

/**
 * How long a command waits for this device's outbox to be sent before it leaves the rest for the
 * next run.
 */
export const OUTBOX_WAIT_MS = 60_000;

export const QUEUED_NOTICE = 'Queued: will be sent the next time rchat runs.';

/**
 * Sends what this device's outbox holds (also messages an earlier run could
 * not send), waiting at most OUTBOX_WAIT_MS, and says on stderr what of it
 * (but `except`, the command's own message) is still queued or was refused.
 * A refused message is taken out of the outbox once it was reported (the CLI
 * has no retry: send it again). Answers what is left, or null when the wait
 * ran out (then everything unsent stays queued).
 */
export async function deliverOutbox(
  client: RchatClient,
  io: Io,
  except?: string,
): Promise<ChatMessage[] | null> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<null>(
    (resolve) => (timer = setTimeout(() => resolve(null), OUTBOX_WAIT_MS)),
  );
  const left = await Promise.race([client.flushOutbox(), waited]).finally(() =>
    clearTimeout(timer),
  );
  const others = (left ?? []).filter((m) => m.clientMsgId !== except);
  const peers = new Map((await client.knownConversations()).map((c) => [c.id, c.peer.username]));
  for (const m of others.filter((m) => m.status === 'failed')) {
    io.err(
      `${notSent(m, peers.get(m.conversationId) ?? 'someone')} It was written earlier; send it again if it still matters.`,
    );
    await client.discard(m.clientMsgId);
  }
  const queued = others.filter((m) => m.status === 'queued').length;
  if (left === null)
    io.err(
      'The server did not answer in time: what is not sent yet stays queued and is sent the next time rchat runs.',
    );
  else if (queued > 0)
    io.err(
      `${queued === 1 ? '1 message written earlier is' : `${queued} messages written earlier are`} still queued: they will be sent the next time rchat runs.`,
    );
  return left;
}

/** Why a message was not sent, in a sentence. */
export function notSent(message: ChatMessage, peer: string): string {
  return `The message to ${printable(peer)} was not sent: ${message.failure?.message ?? 'the server refused it.'}`;
}
