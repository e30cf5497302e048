import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import { utf8 } from '../util/bytes.ts';
import {
  backupPublicKey,
  generateBackupSeed,
  openBackupEntry,
  sealBackupEntry,
} from './backup-entry.ts';

describe('message backup entries', () => {
  it('are written with the public key only, read with the seed, and rejected when altered or forged', async () => {
    const identity = generateIdentityKeyPair();
    const seed = generateBackupSeed();
    const writer = {
      userId: 'u1',
      deviceId: 'd1',
      identity,
      backupPublicKey: await backupPublicKey(seed),
    };
    const entry = await sealBackupEntry(writer, utf8('hello from the past'));
    const reader = { userId: 'u1', identityPublicKey: identity.publicKey, backupSeed: seed };
    expect(await openBackupEntry(reader, entry)).toEqual({
      kind: 'ok',
      plaintext: utf8('hello from the past'),
      deviceId: 'd1',
    });

    for (const i of [1, 8, 20, entry.length - 70, entry.length - 1]) {
      const copy = entry.slice();
      copy[i]! ^= 0x01;
      expect((await openBackupEntry(reader, copy)).kind).not.toBe('ok');
    }
    // Someone who knows the backup public key (the server) cannot write an entry: no identity
    // signature.
    const forged = await sealBackupEntry(
      { ...writer, identity: generateIdentityKeyPair() },
      utf8('injected'),
    );
    expect((await openBackupEntry(reader, forged)).kind).toBe('bad-signature');
    // Bound to the account.
    expect((await openBackupEntry({ ...reader, userId: 'u2' }, entry)).kind).toBe('bad-signature');
    // The wrong backup key cannot read it.
    expect(
      (await openBackupEntry({ ...reader, backupSeed: generateBackupSeed() }, entry)).kind,
    ).toBe('malformed');
  });
});
