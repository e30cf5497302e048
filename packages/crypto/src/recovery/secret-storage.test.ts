import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import { generateBackupSeed } from '../backup/backup-entry.ts';
import { decodeBase32, encodeBase32 } from './base32.ts';
import { generateRecoveryKey, parseRecoveryKey } from './recovery-key.ts';
import { addPassphrase, createSecretStorage, openSecretStorage } from './secret-storage.ts';

const cheap = { memoryKiB: 64, iterations: 1, parallelism: 1 };

describe('recovery key and secret storage', () => {
  it('formats the recovery key in 8 groups of 4 and reads it back however it is typed', () => {
    const key = generateRecoveryKey();
    expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    const bytes = parseRecoveryKey(key);
    expect(bytes).toHaveLength(20);
    expect(parseRecoveryKey(key.toLowerCase().replace(/-/g, ' '))).toEqual(bytes);
    expect(parseRecoveryKey(key.slice(0, -1))).toBeUndefined();
    expect(parseRecoveryKey(`${key.slice(0, -1)}U`)).toBeUndefined();
    for (let n = 0; n < 40; n++) {
      const raw = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(decodeBase32(encodeBase32(raw), n)).toEqual(raw);
    }
  });

  it('opens with the recovery key or the passphrase, and with nothing else', async () => {
    const secrets = { identity: generateIdentityKeyPair(), backupSeed: generateBackupSeed() };
    const recoveryKey = generateRecoveryKey();
    const { blob, masterKey } = await createSecretStorage('u1', secrets, recoveryKey);
    const withPassphrase = await addPassphrase('u1', blob, masterKey, 'correct horse battery', cheap);

    for (const stored of [blob, withPassphrase]) {
      const opened = await openSecretStorage('u1', stored, { recoveryKey: recoveryKey.toLowerCase() });
      expect(opened.kind).toBe('ok');
      if (opened.kind === 'ok') expect(opened.secrets).toEqual(secrets);
    }
    const byPassphrase = await openSecretStorage('u1', withPassphrase, { passphrase: 'correct horse battery' });
    expect(byPassphrase.kind === 'ok' && byPassphrase.secrets).toEqual(secrets);

    expect((await openSecretStorage('u1', blob, { recoveryKey: generateRecoveryKey() })).kind).toBe('wrong-secret');
    expect((await openSecretStorage('u1', blob, { recoveryKey: 'not a key' })).kind).toBe('wrong-secret');
    expect((await openSecretStorage('u1', blob, { passphrase: 'correct horse battery' })).kind).toBe('wrong-secret');
    expect((await openSecretStorage('u1', withPassphrase, { passphrase: 'Correct horse battery' })).kind).toBe('wrong-secret');
    // Bound to the account: another user's storage blob does not open as this one's.
    expect((await openSecretStorage('u2', blob, { recoveryKey })).kind).toBe('wrong-secret');
    const flipped = blob.slice();
    flipped[10]! ^= 1;
    expect((await openSecretStorage('u1', flipped, { recoveryKey })).kind).not.toBe('ok');
    await expect(addPassphrase('u1', blob, masterKey, 'short', cheap)).rejects.toThrow(/at least/);
  });
});
