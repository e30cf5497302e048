import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RchatClient } from '@rchat/sdk';
import { CliError, type Command } from '../command.ts';
import { runLive } from '../connection.ts';
import { signedInClient } from '../session.ts';

/** What a bot module exports as default. */
export type Bot = (client: RchatClient) => Promise<void> | void;

export const bot: Command = {
  name: 'bot',
  synopsis: '<module.js|ts>',
  summary: 'run a bot: a module whose default export gets the signed-in client',
  options: [],
  args: { min: 1, max: 1 },
  async run({ args: [modulePath = ''], settings, openHome, io }) {
    const run = await loadBot(resolve(settings.cwd, modulePath));
    const home = await openHome();
    const client = await signedInClient(home);
    await client.conversations(); // the server's reason (unreachable, session ended) before anything starts
    client.on('warning', (w) => io.err(`warning: ${w.message}`));
    // The bot's synchronous part (where it subscribes) runs before the stream
    // starts, so it also sees the messages that arrived while it was stopped.
    const failed = Promise.resolve(run(client)).then(() => new Promise<never>(() => {})); // a bot that returns keeps running on its subscriptions
    failed.catch(() => undefined); // seen by runLive; not an unhandled rejection while the stream starts
    await runLive(
      client,
      io,
      `Bot ${modulePath} is running as ${client.username} on ${home.server}. Ctrl-C stops.`,
      failed,
    );
    return 0;
  },
};

async function loadBot(path: string): Promise<Bot> {
  if (!existsSync(path)) throw new CliError(`There is no bot module at ${path}.`);
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (typeof module.default !== 'function')
    throw new CliError(
      `${path} must export a default function: export default async (client) => { … }.`,
    );
  return module.default as Bot;
}
