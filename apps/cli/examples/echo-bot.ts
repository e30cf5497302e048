// An rchat bot is an ordinary end-to-end encrypted account: register it like a person
// (`rchat register echo-bot --home ~/.config/rchat-echo`), then run
//   rchat bot apps/cli/examples/echo-bot.ts --home ~/.config/rchat-echo
// It answers every text message with "echo: " and the same text. Subscribe before your first
// `await`: the stream starts right after, so messages sent while the bot was
// stopped arrive too.
import type { RchatClient } from '@rchat/sdk';

export default async function echoBot(client: RchatClient): Promise<void> {
  client.on('message', (message) => {
    if (message.own || message.status !== 'sent' || message.content.kind !== 'text') return;
    client
      .sendText(message.conversationId, `echo: ${message.content.text}`)
      .catch((e: unknown) => console.error(`could not answer: ${String(e)}`));
  });
}
