import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import { generateBackupSeed } from '../backup/backup-entry.ts';
import { decodeBase32, encodeBase32 } from './base32.ts';
import { generateRecoveryKey, parseRecoveryKey } from './recovery-key.ts';
import {
  addPassphrase,
  createSecretStorage,
  defaultPassphraseCost,
  openSecretStorage,
  passphraseCostOf,
  passphraseProblem,
} from './secret-storage.ts';

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
    const withPassphrase = await addPassphrase(
      'u1',
      blob,
      masterKey,
      'correct horse battery',
      cheap,
    );

    for (const stored of [blob, withPassphrase]) {
      const opened = await openSecretStorage('u1', stored, {
        recoveryKey: recoveryKey.toLowerCase(),
      });
      expect(opened.kind).toBe('ok');
      if (opened.kind === 'ok') expect(opened.secrets).toEqual(secrets);
    }
    const byPassphrase = await openSecretStorage('u1', withPassphrase, {
      passphrase: 'correct horse battery',
    });
    expect(byPassphrase.kind === 'ok' && byPassphrase.secrets).toEqual(secrets);

    expect((await openSecretStorage('u1', blob, { recoveryKey: generateRecoveryKey() })).kind).toBe(
      'wrong-secret',
    );
    expect((await openSecretStorage('u1', blob, { recoveryKey: 'not a key' })).kind).toBe(
      'wrong-secret',
    );
    expect(
      (await openSecretStorage('u1', blob, { passphrase: 'correct horse battery' })).kind,
    ).toBe('wrong-secret');
    expect(
      (await openSecretStorage('u1', withPassphrase, { passphrase: 'Correct horse battery' })).kind,
    ).toBe('wrong-secret');
    // Bound to the account: another user's storage blob does not open as this one's.
    expect((await openSecretStorage('u2', blob, { recoveryKey })).kind).toBe('wrong-secret');
    const flipped = blob.slice();
    flipped[10]! ^= 1;
    expect((await openSecretStorage('u1', flipped, { recoveryKey })).kind).not.toBe('ok');
    await expect(addPassphrase('u1', blob, masterKey, 'short', cheap)).rejects.toThrow(/at least/);
  });

  it("stretches a new passphrase at RFC 9106's second recommended setting, and still opens slots made at the older, cheaper one", async () => {
    expect(defaultPassphraseCost).toEqual({ memoryKiB: 65_536, iterations: 3, parallelism: 1 });
    const secrets = { identity: generateIdentityKeyPair(), backupSeed: generateBackupSeed() };
    const recoveryKey = generateRecoveryKey();
    const { blob, masterKey } = await createSecretStorage('u1', secrets, recoveryKey);

    const current = await addPassphrase('u1', blob, masterKey, 'correct horse battery');
    expect(passphraseCostOf(current)).toEqual({ memoryKiB: 65_536, iterations: 3, parallelism: 1 });
    const opened = await openSecretStorage('u1', current, { passphrase: 'correct horse battery' });
    expect(opened.kind === 'ok' && opened.secrets).toEqual(secrets);

    // A slot made before (OWASP's 19 MiB, 2 passes) carries its own cost and opens as it is.
    const older = await addPassphrase('u1', blob, masterKey, 'correct horse battery', {
      memoryKiB: 19_456,
      iterations: 2,
      parallelism: 1,
    });
    expect(passphraseCostOf(older)).toEqual({ memoryKiB: 19_456, iterations: 2, parallelism: 1 });
    const openedOlder = await openSecretStorage('u1', older, {
      passphrase: 'correct horse battery',
    });
    expect(openedOlder.kind === 'ok' && openedOlder.secrets).toEqual(secrets);
  }, 240_000);

  it('refuses to open a slot whose stated cost is beyond the bound, so a server cannot exhaust a device', async () => {
    const { blob, masterKey } = await createSecretStorage(
      'u1',
      { identity: generateIdentityKeyPair(), backupSeed: generateBackupSeed() },
      generateRecoveryKey(),
    );
    const withPassphrase = await addPassphrase(
      'u1',
      blob,
      masterKey,
      'correct horse battery',
      cheap,
    );
    // The slot stores its cost as memory (u32), passes (u32), lanes (u8): find it and change it, as
    // a server could.
    const costAt = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      for (let i = 0; i + 9 <= bytes.length; i++)
        if (
          view.getUint32(i) === cheap.memoryKiB &&
          view.getUint32(i + 4) === cheap.iterations &&
          bytes[i + 8] === cheap.parallelism
        )
          return i;
      throw new Error('cost not found');
    };
    const at = costAt(withPassphrase);
    for (const [what, patch] of [
      ['4 GiB of memory', (v: DataView) => v.setUint32(at, 4 << 20)],
      ['1,000 passes', (v: DataView) => v.setUint32(at + 4, 1_000)],
      ['no passes', (v: DataView) => v.setUint32(at + 4, 0)],
    ] as const) {
      const tampered = withPassphrase.slice();
      patch(new DataView(tampered.buffer));
      const opening = await openSecretStorage('u1', tampered, {
        passphrase: 'correct horse battery',
      });
      expect(opening.kind, what).toBe('malformed');
    }
    // A cost beyond the bound cannot be set either (4 GiB; the bound is RFC 9106's first setting, 2
    // GiB).
    await expect(
      addPassphrase('u1', blob, masterKey, 'correct horse battery', {
        memoryKiB: 1 << 22,
        iterations: 1,
        parallelism: 1,
      }),
    ).rejects.toThrow(/outside what devices accept/);
  });

  it('takes a passphrase of at least 10 characters, counted as characters people type', () => {
    expect(passphraseProblem('nine char')).toBe('A passphrase has at least 10 characters.');
    expect(passphraseProblem('ten chars!')).toBeUndefined();
    expect(passphraseProblem('          ')).toBe('A passphrase has at least 10 characters.');
    // Five emoji are ten UTF-16 units but five characters.
    expect(passphraseProblem('🔑🔑🔑🔑🔑')).toBe('A passphrase has at least 10 characters.');
    expect(passphraseProblem('Grüße aus Köln')).toBeUndefined();
  });
});
