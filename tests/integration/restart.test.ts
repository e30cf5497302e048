import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import { createTestDatabase, dropTestDatabase, startPlatform } from '../support/platform.ts';
import { b64, PASSWORD, registerUser, unb64 } from '../support/users.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rchat-restart-'));
const adminUrl = process.env.DATABASE_URL;
const databaseUrl = adminUrl ? await createTestDatabase(adminUrl) : undefined;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (adminUrl && databaseUrl) await dropTestDatabase(adminUrl, databaseUrl);
});

describe('persistence', () => {
  it('keeps accounts, conversations, messages, read markers and signing keys across a restart', async () => {
    const where = databaseUrl ? { databaseUrl } : { dataDir };
    const first = await startPlatform(where);
    const alice = await registerUser(first.url, 'alice');
    const bob = await registerUser(first.url, 'bob');
    const conv = await alice.api.createConversation(bob.id);
    for (let i = 1; i <= 5; i++)
      await alice.api.sendMessage(conv.id, { txnId: `r${i}`, ciphertext: b64(`kept ${i}`) });
    await bob.api.markRead(conv.id, 3);
    const bobToken = bob.api.session?.accessToken ?? '';
    await first.close();

    const second = await startPlatform(where);
    try {
      // An access token issued before the restart still verifies (the signing key persisted).
      const res = await fetch(`${second.url}/conversations`, {
        headers: { authorization: `Bearer ${bobToken}` },
      });
      expect(res.status).toBe(200);
      const api = new RchatApi({ baseUrl: second.url });
      await api.login({ username: bob.username, password: PASSWORD, device: { name: 'again' } });
      const [listed] = await api.conversations();
      expect(listed).toMatchObject({ id: conv.id, lastSeq: 5, readSeq: 3, unreadCount: 2 });
      const history = await api.history(conv.id);
      expect(history.messages.map((m) => unb64(m.ciphertext))).toEqual([
        'kept 5',
        'kept 4',
        'kept 3',
        'kept 2',
        'kept 1',
      ]);
      // Sequences continue after the restart.
      const aliceSession = alice.api.session;
      if (!aliceSession) throw new Error('alice has no session');
      const aliceAgain = new RchatApi({ baseUrl: second.url, session: aliceSession });
      const next = await aliceAgain.sendMessage(conv.id, { txnId: 'r6', ciphertext: b64('after') });
      expect(next.seq).toBe(6);
    } finally {
      await second.close();
    }
  });
});
