import type { RchatClient } from '@rchat/sdk';
import type { Io } from './command.ts';

/**
 * The recovery key a client just made (registering, or resetting the encryption identity), printed
 * this once with what it is for.
 */
export function printRecoveryKey(client: RchatClient, io: Io): void {
  const recoveryKey = client.takeRecoveryKey();
  if (!recoveryKey) return;
  io.out('');
  io.out('Your recovery key; write it down now and keep it somewhere safe:');
  io.out('');
  io.out(`    ${recoveryKey}`);
  io.out('');
  io.out(
    `It restores your account and your message history on a new device (\`rchat restore ${client.username}\`) if this one is lost.`,
  );
  io.out('It is shown only now: rchat keeps no copy, and no one can show it to you again.');
  io.out('(`rchat set-passphrase` adds a passphrase you can remember that does the same.)');
}
