// Takes the README's screenshots (docs/img/*.png) of the production build
// against an in-process platform: `npx tsx tests/e2e/take-screenshots.ts`.
import { fileURLToPath } from 'node:url';
import { RchatClient, createMemoryStorage } from '@rchat/sdk';
import { PASSWORD } from '../support/users.ts';
import {
  conversationItem,
  register,
  send,
  startConversation,
  waitForMessage,
} from './support/actions.ts';
import { launchBrowser } from './support/browser.ts';
import buildWeb from './support/build-web.ts';
import { startWebPlatform } from './support/web-platform.ts';

const out = (name: string) => fileURLToPath(new URL(`../../docs/img/${name}.png`, import.meta.url));

buildWeb();
const platform = await startWebPlatform();
const tb = await launchBrowser();
try {
  const alice = await tb.newPage(await tb.newContext({ width: 1100, height: 720 }));
  const bob = await tb.newPage(await tb.newContext({ width: 1100, height: 720 }));
  await alice.goto(platform.url);
  await alice.getByLabel('Username').waitFor();
  await alice.screenshot({ path: out('login') });

  await register(alice, 'alice');
  await bob.goto(platform.url);
  await register(bob, 'bob');
  const carol = await RchatClient.register(
    { baseUrl: platform.url, storage: createMemoryStorage() },
    'carol',
    PASSWORD,
  );
  await carol.start();

  await startConversation(alice, 'bob');
  await send(alice, 'Hi Bob! Did the new build land?');
  await conversationItem(bob, 'alice').getByRole('link').click();
  await waitForMessage(bob, 'Did the new build land?');
  await send(bob, 'It did, all green. Deploying to staging now.');
  await waitForMessage(alice, 'Deploying to staging');
  await send(alice, 'Great.\nShall we compare safety numbers after lunch?');
  await waitForMessage(bob, 'after lunch');
  await send(bob, 'Sure, 13:30 at my desk.');
  await waitForMessage(alice, '13:30');

  const toAlice = await carol.startConversation({ username: 'alice' });
  await carol.sendText(toAlice.id, 'Are you joining the review?');
  await carol.sendText(toAlice.id, 'It starts in five minutes.');
  await conversationItem(alice, 'carol').waitFor({ timeout: 30_000 });
  await alice.getByRole('button', { name: 'Details' }).click();
  await alice.locator('.safety-number').waitFor();
  await alice.screenshot({ path: out('conversation') });

  await alice.goBack();
  await alice.waitForURL(`${platform.url}/`);
  await alice.getByText('Pick a conversation').waitFor();
  await alice.screenshot({ path: out('main') });

  const phone = await tb.newPage(await tb.newContext({ width: 375, height: 720 }));
  await phone.goto(platform.url);
  await register(phone, 'dave');
  await startConversation(phone, 'bob');
  await send(phone, 'Testing from my phone');
  await waitForMessage(phone, 'Testing from my phone');
  await phone.screenshot({ path: out('mobile') });
  carol.stop();
  console.log('wrote docs/img/login.png, main.png, conversation.png, mobile.png');
} finally {
  await tb.close();
  await platform.close();
}
