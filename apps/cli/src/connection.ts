import { RchatError, type RchatClient } from '@rchat/sdk';
import { CliError, type Io } from './command.ts';
import { identityResetText } from './identity-texts.ts';
import { startStream } from './session.ts';
import { untilStopped } from './signals.ts';

const sessionEnded = new Set(['UNAUTHENTICATED', 'INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED']);

/**
 * Tells the user when the live stream drops and comes back (once each, not
 * every retry). The stream retries by itself forever, also when the session
 * was revoked; so when it drops, one API call asks why, and a session that
 * ended rejects the returned promise, for the command to stop. So does an
 * identity reset of the account (the SDK closes the stream for good), and
 * every other security alert is printed on stderr.
 */
export function watchConnection(client: RchatClient, io: Io): Promise<never> {
  let lost = false;
  let asking = false;
  return new Promise<never>((_, reject) => {
    client.on('alert', (alert) => {
      if (alert.kind === 'account-identity-reset')
        reject(new CliError(identityResetText(client.username)));
      else io.err(`alert: ${alert.message}`);
    });
    client.on('status', (status) => {
      if (status === 'live' && lost) {
        lost = false;
        io.err('Connected again.');
      }
      if (status !== 'reconnecting') return;
      if (!lost) io.err('The connection to the server was lost; reconnecting…');
      lost = true;
      if (asking) return;
      asking = true;
      client.api.keyPackageCount().then(
        () => (asking = false),
        (e: unknown) => {
          asking = false;
          if (e instanceof RchatError && sessionEnded.has(e.code))
            reject(
              new CliError(`${e.message} Run \`rchat login ${client.username}\` to sign in again.`),
            );
        },
      );
    });
  });
}

/**
 * Starts the live stream, prints `banner`, and runs until Ctrl-C or SIGTERM
 * (or until the session ends, or `failure` rejects); then closes the stream
 * and lets the entries already received finish, so the cursor is saved.
 */
export async function runLive(
  client: RchatClient,
  io: Io,
  banner: string,
  failure?: Promise<never>,
): Promise<void> {
  const stopped = untilStopped();
  await startStream(client);
  const ended = watchConnection(client, io);
  io.err(banner);
  try {
    await Promise.race([stopped, ended, ...(failure ? [failure] : [])]);
  } finally {
    client.stop();
    await client.idle();
  }
}
