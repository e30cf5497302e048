import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reopen, registerClient } from '../support/clients.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

/**
 * What lets another client (a browser tab taking over) open the same storage: `close()` leaves it
 * with the latest tokens.
 */
describe('closing a client', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('waits for a token refresh under way to be stored, so the next client on the storage refreshes without revoking the session', async () => {
    const first = await registerClient(platform.url, 'closer');
    await first.client.start();
    // A refresh is under way (the old refresh token is already spent on the server) as the client
    // closes.
    const refreshed = first.client.api.refresh();
    await first.client.close();

    // Opened the moment the first one closed.
    const next = await reopen(platform.url, first);
    await next.client.api.refresh();
    await refreshed;
    await next.client.start();
    expect(await next.client.conversations()).toEqual([]);
    expect((await next.client.devices()).filter((d) => d.current)).toHaveLength(1);
    next.client.stop();
  });
});
