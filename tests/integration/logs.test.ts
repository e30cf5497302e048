import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startPlatform } from '../support/platform.ts';
import { b64, listen, PASSWORD, registerUser } from '../support/users.ts';

describe('logs', () => {
  it('never contain passwords, tokens or message bodies, even at debug level', async () => {
    let logs = '';
    const destination = new Writable({
      write: (chunk: Buffer, _enc, cb) => ((logs += chunk.toString()), cb()),
    });
    const platform = await startPlatform({ logTo: { level: 'debug', destination } });
    try {
      const alice = await registerUser(platform.url, 'alice');
      const bob = await registerUser(platform.url, 'bob');
      const conv = await alice.api.createConversation(bob.id);
      const marker = 'PLAINTEXT-MARKER-5f1c';
      const live = listen(bob);
      await live.ready;
      await alice.api.sendMessage(conv.id, { txnId: 'l1', ciphertext: b64(marker) });
      await alice.api.refresh();
      const query = await fetch(
        `${platform.url}/events?access_token=${encodeURIComponent(bob.api.session?.accessToken ?? '')}`,
      );
      await query.body?.cancel();
      // The parameter name percent-encoded: the server still reads the token from it, so logs must
      // hide it too.
      const encoded = await fetch(
        `${platform.url}/events?since=0&access%5Ftoken=${encodeURIComponent(alice.api.session?.accessToken ?? '')}`,
      );
      expect(encoded.status).toBe(200);
      await encoded.body?.cancel();
      await fetch(`${platform.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: alice.username,
          password: 'wrong-password-42',
          device: { name: 'x' },
        }),
      });
      live.stream.close();
      await new Promise((r) => setTimeout(r, 100));

      expect(logs).toContain('incoming request');
      expect(logs).toContain('access%5Ftoken=[redacted]');
      const secrets = [
        PASSWORD,
        'wrong-password-42',
        marker,
        b64(marker),
        alice.api.session?.accessToken ?? 'none',
        alice.api.session?.refreshToken ?? 'none',
        bob.api.session?.accessToken ?? 'none',
        bob.api.session?.refreshToken ?? 'none',
      ];
      for (const secret of secrets) expect(logs).not.toContain(secret);
    } finally {
      await platform.close();
    }
  });
});
